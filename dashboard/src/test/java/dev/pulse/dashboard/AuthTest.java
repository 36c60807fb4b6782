package dev.pulse.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** In cluster mode with a token (from the Secret), /api and /ws need it; health and metrics stay open for probes. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
    "pulse.dashboard.mode=cluster",
    "pulse.dashboard.pipeline=secure",
    "pulse.dashboard.auth.token=s3cret-token",
    "pulse.dashboard.vectors.embedder=none"})
class AuthTest {
  private final HttpClient http = HttpClient.newHttpClient();

  @LocalServerPort
  int port;

  @DynamicPropertySource
  static void kafka(DynamicPropertyRegistry registry) {
    registry.add("pulse.dashboard.kafka.bootstrap-servers", () -> KafkaTestSupport.broker().bootstrapServers());
  }

  @Test
  void apiNeedsTheBearerToken() throws Exception {
    assertThat(get("/api/pipelines", null).statusCode()).isEqualTo(401);
    HttpResponse<String> wrong = get("/api/pipelines", "Bearer nope");
    assertThat(wrong.statusCode()).isEqualTo(401);
    assertThat(wrong.body()).contains("not valid").doesNotContain("s3cret");
    assertThat(get("/api/pipelines", "Bearer s3cret-token").statusCode()).isEqualTo(200);
    assertThat(get("/ws", null).statusCode()).isEqualTo(401);
    assertThat(get("/actuator/health", null).statusCode()).isEqualTo(200);
  }

  @Test
  void clusterStatusSaysWhenTheResourceCannotBeRead() throws Exception {
    HttpResponse<String> r = get("/api/pipelines/secure/status", "Bearer s3cret-token");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).contains("\"mode\":\"cluster\"").contains("not running in a cluster");
  }

  private HttpResponse<String> get(String path, String authorization) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path));
    if (authorization != null) {
      b.header("Authorization", authorization);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }
}
