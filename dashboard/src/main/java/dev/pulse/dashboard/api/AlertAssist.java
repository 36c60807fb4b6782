package dev.pulse.dashboard.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pulse.dashboard.api.Views.AlertView;
import dev.pulse.dashboard.api.Views.PostView;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Asks the pipeline's LLM gateway to explain an alert (POST /v1/alerts/explain) or draft a reply to it
 * (POST /v1/responses/draft), with the alert's sentence as the trigger and its evidence posts. The gateway's answer
 * is passed on as it is; a gateway that is down or refuses is a 503 with its message.
 */
public final class AlertAssist {
  private final String baseUrl;
  private final Duration timeout;
  private final String token;
  private final HttpClient http;
  private final ObjectMapper json = new ObjectMapper();

  public AlertAssist(String baseUrl, Duration timeout) {
    this(baseUrl, timeout, null);
  }

  /** @param token the gateway's service token (PULSE_GATEWAY_TOKEN, from a Secret), sent as a bearer header */
  public AlertAssist(String baseUrl, Duration timeout, String token) {
    this.token = token == null || token.isBlank() ? null : token.trim();
    this.baseUrl = baseUrl == null ? "" : baseUrl.replaceAll("/+$", "");
    this.timeout = timeout;
    this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  }

  public boolean enabled() {
    return !baseUrl.isEmpty();
  }

  public JsonNode explain(AlertView a) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("pipeline", a.pipeline());
    body.put("alertId", a.id());
    body.put("trigger", a.explanation().length() > 500 ? a.explanation().substring(0, 500) : a.explanation());
    body.put("evidence", evidence(a));
    return call("/v1/alerts/explain", body);
  }

  public JsonNode draft(AlertView a) {
    Map<String, Object> alert = new LinkedHashMap<>();
    alert.put("id", a.id());
    alert.put("summary", a.explanation());
    alert.put("evidence", evidence(a));
    return call("/v1/responses/draft", Map.of("pipeline", a.pipeline(), "alert", alert));
  }

  private static List<Map<String, Object>> evidence(AlertView a) {
    List<PostView> posts = a.evidence();
    if (posts.isEmpty()) {
      throw new BadRequestException("alert " + a.id() + " has no evidence posts held any more; nothing to explain");
    }
    return posts.stream().limit(50).map(p -> Map.<String, Object>of("id", p.id(), "text", p.text(),
        "label", p.label().toLowerCase(Locale.ROOT), "score", p.score())).toList();
  }

  private JsonNode call(String path, Object body) {
    if (!enabled()) {
      throw new NotFoundException("no LLM gateway is configured for this dashboard (PULSE_DASHBOARD_GATEWAY_URL)");
    }
    try {
      HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(timeout)
          .header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofByteArray(json.writeValueAsBytes(body)));
      if (token != null) {
        builder.header("Authorization", "Bearer " + token);
      }
      HttpRequest request = builder.build();
      HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
      JsonNode answer = json.readTree(response.body());
      if (response.statusCode() / 100 != 2) {
        throw new UnavailableException("the LLM gateway answered " + response.statusCode() + ": "
            + answer.path("message").asText(answer.toString()));
      }
      return answer;
    } catch (IOException e) {
      throw new UnavailableException("the LLM gateway is not answering: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new UnavailableException("interrupted while asking the LLM gateway");
    }
  }
}
