package dev.pulse.llm.health;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pulse.llm.settings.GatewayProperties;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * Whether vLLM serves the configured model (GET /v1/models lists the base model and every loaded LoRA
 * adapter). Not in the liveness or readiness groups: without vLLM the gateway falls back.
 */
@Component("vllm")
public class VllmHealthIndicator implements HealthIndicator {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final GatewayProperties.Llm config;
  private final HttpClient http;

  public VllmHealthIndicator(GatewayProperties properties) {
    this.config = properties.llm();
    this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  }

  @Override
  public Health health() {
    Health.Builder builder = Health.unknown().withDetail("baseUrl", config.baseUrl()).withDetail("model", config.model());
    try {
      HttpRequest request =
          HttpRequest.newBuilder(URI.create(config.baseUrl().replaceAll("/+$", "") + "/models"))
              .timeout(Duration.ofSeconds(3))
              .header("Authorization", "Bearer " + config.apiKey())
              .GET()
              .build();
      HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        return builder.down().withDetail("error", "HTTP " + response.statusCode()).build();
      }
      for (JsonNode m : JSON.readTree(response.body()).path("data")) {
        if (config.model().equals(m.path("id").asText())) {
          return builder.up().build();
        }
      }
      return builder.down().withDetail("error", "model not served").build();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return builder.down().build();
    } catch (Exception e) {
      return builder.down().withDetail("error", e.getClass().getSimpleName()).build();
    }
  }
}
