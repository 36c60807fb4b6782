package dev.pulse.llm.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pulse.llm.GatewayTestSupport;
import dev.pulse.llm.budget.LlmCallBudget;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * /v1 needs the service token; health shows its components only to a token holder; the LLM budget belongs to the
 * authenticated caller, whatever pipeline name the body carries. Before: /v1 answered anyone, health listed every
 * component with its details, and each made-up pipeline name got a fresh budget (and a new map entry).
 */
@ExtendWith(OutputCaptureExtension.class)
class GatewayAuthTest extends GatewayTestSupport {
  private static final String BATCH = "{\"pipeline\":\"acme\",\"posts\":[{\"id\":\"a\",\"text\":\"great\"}]}";

  @Test
  void v1NeedsTheServiceToken() throws Exception {
    assertThat(anonymous("POST", "/v1/classify", null, BATCH).status()).isEqualTo(401);
    assertThat(anonymous("POST", "/v1/classify", "Bearer wrong", BATCH).status()).isEqualTo(401);
    assertThat(anonymous("POST", "/v1/alerts/explain", null, "{}").status()).isEqualTo(401);
    assertThat(anonymous("POST", "/v1/responses/draft", null, "{}").status()).isEqualTo(401);
    assertThat(anonymous("GET", "/actuator/metrics", null, null).status()).isEqualTo(401);
    Response ok = anonymous("POST", "/v1/classify", "Bearer " + TOKEN, BATCH);
    assertThat(ok.status()).as(ok.body()).isEqualTo(200);
    // Probes and the scrape stay open.
    assertThat(anonymous("GET", "/actuator/health/readiness", null, null).status()).isEqualTo(200);
    assertThat(anonymous("GET", "/actuator/health/liveness", null, null).status()).isEqualTo(200);
    assertThat(anonymous("GET", "/actuator/prometheus", null, null).status()).isEqualTo(200);
  }

  @ParameterizedTest
  @ValueSource(strings = {"/v1/classify;x", "/v1;x/classify", "/%761/classify", "/v1/%2e%2e/v1/classify",
      "/x/../v1/classify", "//v1/classify", "/v1%2Fclassify"})
  void noSpellingOfV1GetsInWithoutTheToken(String path) throws Exception {
    String response = raw("POST " + path + " HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
        + "Content-Length: " + BATCH.length() + "\r\nConnection: close\r\n\r\n" + BATCH);
    assertThat(Integer.parseInt(response.substring(9, 12))).as(path + ":\n" + response).isIn(400, 401, 404);
    assertThat(response).doesNotContain("\"results\"");
  }

  @Test
  void healthDetailsOnlyForATokenHolder() throws Exception {
    Response open = anonymous("GET", "/actuator/health", null, null);
    assertThat(open.status()).isEqualTo(200);
    assertThat(open.body()).doesNotContain("components").doesNotContain(COLLECTION).doesNotContain("127.0.0.1");
    assertThat(get("/actuator/health").json().at("/components/qdrant/details/collection").asText())
        .isEqualTo(COLLECTION);
  }

  @Test
  void theBudgetIsTheCallersNotThePipelineNamesAndStaysBounded() throws Exception {
    var posts = IntStream.range(0, BUDGET).mapToObj(i -> item("p" + i, "great " + i, "neutral", 0.0)).toList();
    long t0 = System.nanoTime(); // the caller's bucket refills from here on
    assertThat(post("/v1/classify", batch("spend", posts)).status()).isEqualTo(200);
    assertThat(VLLM.calls()).hasSize(BUDGET);
    // Made-up pipeline names: each once had a full budget of its own, so all 100 went to the LLM. Now only what the
    // caller's bucket refilled since the first call (BUDGET a minute) may.
    int served = 0;
    for (int i = 0; i < 100; i++) {
      Response r = post("/v1/classify", batch("made-up-" + i, List.of(item("m" + i, "great"))));
      served += r.json().get("results").get(0).path("fallbackReason").isMissingNode() ? 1 : 0;
    }
    double refilled = (System.nanoTime() - t0) / 60e9 * BUDGET;
    assertThat(served).as("posts the LLM answered").isLessThanOrEqualTo(2 + (int) refilled).isLessThan(50);
    assertThat(budget.callers()).isLessThanOrEqualTo(LlmCallBudget.MAX_CALLERS).isEqualTo(1);
  }

  @Test
  void theTokenIsNeverLogged(CapturedOutput output) throws Exception {
    anonymous("POST", "/v1/classify", "Bearer " + TOKEN, BATCH);
    anonymous("POST", "/v1/classify", "Bearer " + TOKEN + "x", BATCH);
    assertThat(output.getAll()).doesNotContain(TOKEN);
  }

  private String raw(String request) throws Exception {
    try (Socket s = new Socket("127.0.0.1", port())) {
      s.setSoTimeout(10_000);
      OutputStream out = s.getOutputStream();
      out.write(request.getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      InputStream in = s.getInputStream();
      return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
    } catch (java.net.SocketTimeoutException e) {
      throw new AssertionError("no answer to " + request.lines().findFirst().orElse(""), e);
    }
  }
}
