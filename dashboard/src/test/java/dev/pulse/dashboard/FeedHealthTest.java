package dev.pulse.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Kafka unreachable (nothing listens on the bootstrap address): health turns OUT_OF_SERVICE (503) and the status the
 * page's badge shows says why, while liveness stays UP (a restart would not bring Kafka back). Before, health said UP
 * and the page went quietly stale.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
    "pulse.dashboard.pipeline=nokafka",
    "pulse.dashboard.kafka.bootstrap-servers=127.0.0.1:1",
    "pulse.dashboard.kafka.stale-after=3s",
    "pulse.dashboard.vectors.embedder=none"})
class FeedHealthTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient http = HttpClient.newHttpClient();

  @LocalServerPort
  int port;

  @Test
  void anUnreachableKafkaTurnsHealthOutOfServiceAndThePageSaysSo() throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
    HttpResponse<String> health = get("/actuator/health");
    while (health.statusCode() == 200 && System.nanoTime() < deadline) {
      Thread.sleep(500);
      health = get("/actuator/health");
    }
    assertThat(health.statusCode()).as(health.body()).isEqualTo(503);
    assertThat(JSON.readTree(health.body()).get("status").asText()).isEqualTo("OUT_OF_SERVICE");
    assertThat(get("/actuator/health/liveness").statusCode()).isEqualTo(200);

    JsonNode feed = JSON.readTree(get("/api/pipelines/nokafka/status").body()).get("feed");
    assertThat(feed.get("state").asText()).isEqualTo("OUT_OF_SERVICE");
    assertThat(feed.get("message").asText()).contains("127.0.0.1:1").contains("has not answered");
  }

  private HttpResponse<String> get(String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
