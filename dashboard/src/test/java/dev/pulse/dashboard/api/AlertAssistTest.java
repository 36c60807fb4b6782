package dev.pulse.dashboard.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.pulse.dashboard.api.Views.AlertView;
import dev.pulse.dashboard.api.Views.PostView;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The alert's explain/draft requests as the gateway's API takes them, against a stand-in of the gateway. */
class AlertAssistTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final Map<String, JsonNode> received = new ConcurrentHashMap<>();
  private final Map<String, String> authorization = new ConcurrentHashMap<>();
  private HttpServer gateway;
  private String url;

  @BeforeEach
  void start() throws Exception {
    gateway = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    gateway.createContext("/v1/alerts/explain", ex -> {
      received.put(ex.getRequestURI().getPath(), JSON.readTree(ex.getRequestBody()));
      authorization.put(ex.getRequestURI().getPath(), String.valueOf(ex.getRequestHeaders().getFirst("Authorization")));
      reply(ex, 200, "{\"alertId\":\"a\",\"summary\":\"Flights grounded by an IT outage\",\"drivers\":[\"outage\"],"
          + "\"evidenceIds\":[\"x:1\"],\"source\":\"LLM\"}");
    });
    gateway.createContext("/v1/responses/draft", ex -> {
      received.put(ex.getRequestURI().getPath(), JSON.readTree(ex.getRequestBody()));
      reply(ex, 503, "{\"error\":\"llm_unavailable\",\"message\":\"no draft: timeout\"}");
    });
    gateway.start();
    url = "http://127.0.0.1:" + gateway.getAddress().getPort() + "/";
  }

  @AfterEach
  void stop() {
    gateway.stop(0);
  }

  @Test
  void explainSendsTheTriggerAndEvidenceAndPassesTheAnswerOn() {
    JsonNode answer = new AlertAssist(url, Duration.ofSeconds(5)).explain(alert(List.of(post())));
    assertThat(answer.get("summary").asText()).isEqualTo("Flights grounded by an IT outage");
    JsonNode sent = received.get("/v1/alerts/explain");
    assertThat(sent.get("pipeline").asText()).isEqualTo("northwind");
    assertThat(sent.get("alertId").asText()).isEqualTo("northwind:CRISIS:0");
    assertThat(sent.get("trigger").asText()).isEqualTo("80% negative in the window");
    assertThat(sent.get("evidence").get(0).get("label").asText()).isEqualTo("negative");
    assertThat(sent.get("evidence").get(0).get("text").asText()).isEqualTo("every flight grounded, outage");
  }

  @Test
  void theGatewaysServiceTokenGoesInAHeader() {
    new AlertAssist(url, Duration.ofSeconds(5), "svc-token-1").explain(alert(List.of(post())));
    assertThat(authorization.get("/v1/alerts/explain")).isEqualTo("Bearer svc-token-1");
    new AlertAssist(url, Duration.ofSeconds(5)).explain(alert(List.of(post())));
    assertThat(authorization.get("/v1/alerts/explain")).isEqualTo("null");
  }

  @Test
  void aGatewayThatRefusesIsA503WithItsMessage() {
    AlertAssist assist = new AlertAssist(url, Duration.ofSeconds(5));
    assertThatThrownBy(() -> assist.draft(alert(List.of(post())))).isInstanceOf(UnavailableException.class)
        .hasMessageContaining("503").hasMessageContaining("no draft: timeout");
    assertThat(received.get("/v1/responses/draft").get("alert").get("summary").asText())
        .isEqualTo("80% negative in the window");
  }

  @Test
  void withoutEvidenceOrWithoutAGatewayNothingIsAsked() {
    assertThatThrownBy(() -> new AlertAssist(url, Duration.ofSeconds(5)).explain(alert(List.of())))
        .isInstanceOf(BadRequestException.class).hasMessageContaining("no evidence posts");
    assertThatThrownBy(() -> new AlertAssist("", Duration.ofSeconds(5)).explain(alert(List.of(post()))))
        .isInstanceOf(NotFoundException.class).hasMessageContaining("PULSE_DASHBOARD_GATEWAY_URL");
    assertThat(received).isEmpty();
  }

  private static PostView post() {
    return new PostView("x:1", "X", "feed", "every flight grounded, outage", "en", Instant.EPOCH, Instant.EPOCH, null,
        null, "NEGATIVE", -0.9, 0.9, "LIGHT", false, null, List.of());
  }

  private static AlertView alert(List<PostView> evidence) {
    return new AlertView("northwind:CRISIS:0", "CRISIS", "northwind", Instant.EPOCH, Instant.EPOCH.plusSeconds(30),
        Map.of(), 0.6, Instant.EPOCH, "80% negative in the window", List.of("x:1"), evidence, List.of(), List.of());
  }

  private static void reply(com.sun.net.httpserver.HttpExchange ex, int status, String body) throws java.io.IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", "application/json");
    ex.sendResponseHeaders(status, bytes.length);
    ex.getResponseBody().write(bytes);
    ex.close();
  }
}
