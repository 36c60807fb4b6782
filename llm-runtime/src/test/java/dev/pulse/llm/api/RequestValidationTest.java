package dev.pulse.llm.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pulse.llm.GatewayTestSupport;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Bad input gets a 4xx with a JSON message a person can act on, never a stack trace. */
class RequestValidationTest extends GatewayTestSupport {

  private void assertRejected(Response r, int status, String error, String... mentions) {
    assertThat(r.status()).as(r.body()).isEqualTo(status);
    assertThat(r.json().get("error").asText()).isEqualTo(error);
    assertThat(r.json().get("message").asText()).contains(mentions);
    assertThat(r.body()).doesNotContain("trace").doesNotContain("Exception").doesNotContain("at dev.pulse").doesNotContain("com.fasterxml");
    assertThat(VLLM.calls()).isEmpty();
  }

  @Test
  void missingPosts() throws Exception {
    assertRejected(post("/v1/classify", Map.of("pipeline", "acme")), 400, "invalid_request", "posts");
  }

  @Test
  void emptyText() throws Exception {
    assertRejected(
        post("/v1/classify", batch("acme", List.of(item("ok", "fine"), Map.of("id", "x", "text", " ")))),
        400, "invalid_request", "posts[1].text");
  }

  @Test
  void unknownLightLabel() throws Exception {
    assertRejected(
        post("/v1/classify", "{\"pipeline\":\"acme\",\"posts\":[{\"id\":\"x\",\"text\":\"t\",\"lightLabel\":\"great\"}]}"),
        400, "invalid_json", "posts[0].lightLabel", "'great' is not one of negative, neutral, positive");
  }

  @Test
  void labelsInTheRequestMayBeUpperCase() throws Exception {
    Response r = post("/v1/classify", batch("acme", List.of(item("x", "#http500 hi", "NEGATIVE", -0.2))));
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    assertThat(r.json().at("/results/0/label").asText()).isEqualTo("negative");
  }

  @Test
  void lightScoreOutOfRange() throws Exception {
    assertRejected(post("/v1/classify", batch("acme", List.of(item("x", "t", "positive", 3.0)))), 400, "invalid_request", "posts[0].lightScore");
  }

  @Test
  void notJson() throws Exception {
    assertRejected(post("/v1/classify", "{\"pipeline\": \"acme\", \"posts\": [ "), 400, "invalid_json", "not valid JSON");
  }

  @Test
  void badPipelineName() throws Exception {
    assertRejected(post("/v1/classify", batch("Acme_Brand", List.of(item("x", "t")))), 400, "invalid_request", "pipeline");
  }

  @Test
  void tooManyPosts() throws Exception {
    var posts = IntStream.range(0, 257).mapToObj(i -> item("p" + i, "t")).toList();
    assertRejected(post("/v1/classify", batch("acme", posts)), 400, "invalid_request", "posts");
  }

  @Test
  void wrongContentType() throws Exception {
    assertRejected(send("/v1/classify", "hello", "text/plain"), 415, "unsupported_media_type", "application/json");
  }

  @Test
  void draftNeedsExactlyOneSubject() throws Exception {
    assertRejected(post("/v1/responses/draft", Map.of("pipeline", "acme")), 400, "invalid_request", "exactly one");
  }

  @Test
  void explainNeedsEvidence() throws Exception {
    assertRejected(post("/v1/alerts/explain", Map.of("pipeline", "acme", "alertId", "a", "evidence", List.of())), 400, "invalid_request", "evidence");
  }
}
