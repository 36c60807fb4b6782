package dev.pulse.scoring.eval.escalation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import dev.pulse.event.Label;
import dev.pulse.scoring.Score;
import dev.pulse.scoring.eval.LabelledPost;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code ./pulse eval --escalate} starts its gateway with a service token, as {@code ./pulse local} does, and sends it
 * on every call: the gateway it starts gets PULSE_GATEWAY_TOKEN, and the classifier's calls carry the same token. A
 * stand-in gateway answers 401 without it, as the real one does (llm-runtime's GatewayAuthTest).
 */
class EscalationEvalTokenTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private HttpServer gateway;
  private final List<String> authorizations = new CopyOnWriteArrayList<>();
  private String expected;

  @BeforeEach
  void start() throws IOException {
    expected = EscalationEval.newToken();
    gateway = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    gateway.createContext("/v1/classify", exchange -> {
      String auth = exchange.getRequestHeaders().getFirst("Authorization");
      authorizations.add(String.valueOf(auth));
      byte[] answer;
      int status;
      if (!("Bearer " + expected).equals(auth)) {
        status = 401;
        answer = new byte[0];
      } else {
        JsonNode request = JSON.readTree(exchange.getRequestBody());
        ObjectNode body = JSON.createObjectNode();
        ArrayNode results = body.putArray("results");
        request.path("posts").forEach(p -> results.addObject().put("id", p.path("id").asText())
            .put("label", "negative").put("source", "LLM"));
        status = 200;
        answer = body.toString().getBytes(StandardCharsets.UTF_8);
      }
      exchange.sendResponseHeaders(status, answer.length == 0 ? -1 : answer.length);
      exchange.getResponseBody().write(answer);
      exchange.close();
    });
    gateway.start();
  }

  @AfterEach
  void stop() {
    gateway.stop(0);
  }

  private String url() {
    return "http://127.0.0.1:" + gateway.getAddress().getPort();
  }

  private static final List<LabelledPost> POSTS = List.of(new LabelledPost("a", "late again", Label.NEGATIVE),
      new LabelledPost("b", "fine", Label.NEUTRAL));
  private static final List<Score> LIGHT = List.of(new Score(Label.NEUTRAL, 0, 0.3, false, new double[3]),
      new Score(Label.NEUTRAL, 0, 0.9, false, new double[3]));

  @Test
  void theGatewayItStartsGetsARandomTokenAndEveryCallSendsIt() throws Exception {
    Map<String, String> settings = EscalationEval.gatewaySettings(expected);
    assertThat(settings).containsEntry("PULSE_GATEWAY_TOKEN", expected);
    assertThat(expected).hasSize(43).matches("[A-Za-z0-9_-]+").isNotEqualTo(EscalationEval.newToken());

    StringWriter said = new StringWriter();
    EscalationReport report = new EscalationEval(0.6, 16, new PrintWriter(said))
        .evaluate("m", url(), settings.get("PULSE_GATEWAY_TOKEN"), POSTS, LIGHT, 1.0);
    assertThat(report).isNotNull();
    assertThat(authorizations).containsExactly("Bearer " + expected);
    assertThat(said.toString()).doesNotContain(expected);
  }

  @Test
  void withoutTheTokenTheGatewayRefusesTheCall() {
    // What the command did before: no token for the gateway it started, none on the call.
    assertThatThrownBy(() -> new EscalationEval(0.6, 16, new PrintWriter(new StringWriter()))
        .evaluate("m", url(), null, POSTS, LIGHT, 1.0)).isInstanceOf(IOException.class).hasMessageContaining("401");
    assertThat(authorizations).containsExactly("null");
  }
}
