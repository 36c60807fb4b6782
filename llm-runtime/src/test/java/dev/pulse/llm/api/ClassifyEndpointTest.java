package dev.pulse.llm.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pulse.llm.GatewayTestSupport;
import dev.pulse.llm.prompt.SystemPrompts;
import dev.pulse.llm.standin.Fenced;
import dev.pulse.llm.standin.StandInBrain;
import dev.pulse.llm.standin.VllmStandIn.ChatCall;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ClassifyEndpointTest extends GatewayTestSupport {

  private static ChatCall callFor(String postText) {
    return VLLM.calls().stream()
        .filter(c -> Fenced.only(c.user(), "POST").equals(postText))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no call for " + postText));
  }

  @Test
  void classifiesInOrderWithRetrievedContextThroughTheAdapter() throws Exception {
    String vague = "Tried paying through the checkout this morning";
    Response r =
        post(
            "/v1/classify",
            batch(
                "acme",
                List.of(
                    item("p1", "I love the new phone"),
                    item("p2", vague),
                    item("p3", "Huge outage, the app crashes everywhere", "neutral", 0.0))));

    assertThat(r.status()).as(r.body()).isEqualTo(200);
    JsonNode results = r.json().get("results");
    assertThat(r.json().get("model").asText()).isEqualTo(ADAPTER);
    assertThat(results).extracting(n -> n.get("id").asText()).containsExactly("p1", "p2", "p3");
    assertThat(results).allSatisfy(n -> assertThat(n.get("source").asText()).isEqualTo("LLM"));
    assertThat(results).extracting(n -> n.get("label").asText()).containsExactly("positive", "negative", "negative");
    assertThat(results.get(0).get("score").asDouble()).isEqualTo(0.9);
    assertThat(results.get(0).get("confidence").asDouble()).isEqualTo(0.9);
    // p2 has no opinion words: the stand-in took the label of the nearest example, a failing checkout.
    assertThat(results.get(1).get("score").asDouble()).isEqualTo(-0.6);
    assertThat(results.get(1).get("rationale").asText()).contains("similar negative post");
    assertThat(results.get(2).get("crisis").asBoolean()).isTrue();
    assertThat(results.get(0).has("fallbackReason")).isFalse();

    ChatCall call = callFor(vague);
    assertThat(call.model()).isEqualTo(ADAPTER);
    assertThat(call.system()).isEqualTo(SystemPrompts.CLASSIFY);
    assertThat(call.responseFormat().path("type").asText()).isEqualTo("json_schema");
    JsonNode schema = call.responseFormat().path("json_schema").path("schema");
    assertThat(schema.path("properties").path("label").path("enum"))
        .extracting(JsonNode::asText)
        .containsExactly("negative", "neutral", "positive");
    assertThat(schema.path("required")).hasSize(4);
    String examples = Fenced.only(call.user(), "EXAMPLES");
    assertThat(examples.split("\n")[0]).containsIgnoringCase("checkout").contains("\"negative\"");
    assertThat(Fenced.only(call.user(), "GLOSSARY")).contains("FastPay");
    // Another pipeline's points never reach this pipeline's prompts.
    assertThat(VLLM.calls()).allSatisfy(c -> assertThat(c.user()).doesNotContain("wonderful").doesNotContain("OtherCo"));
    assertThat(call.body().path("temperature").asDouble()).isEqualTo(0.0);
  }

  @Test
  void faultsFallBackToTheLightScoreMarkedWithTheReason() throws Exception {
    List<Map<String, Object>> posts =
        List.of(
            item("f1", "#malformed-once great stuff", "neutral", 0.05),
            item("f2", "#malformed-always meh", "negative", -0.3),
            item("f3", "#http500 whatever", "positive", 0.4),
            item("f4", "#slow anything", "neutral", 0.0),
            item("f5", "#garbage-body hello", "negative", -0.2),
            item("f6", "#bad-label hello", "positive", 0.7),
            item("f7", "#leak hello", "negative", -0.8));
    long start = System.nanoTime();
    Response r = post("/v1/classify", batch("faults", posts));
    Duration took = Duration.ofNanos(System.nanoTime() - start);

    assertThat(r.status()).as(r.body()).isEqualTo(200);
    JsonNode res = r.json().get("results");
    assertThat(res).extracting(n -> n.get("id").asText()).containsExactly("f1", "f2", "f3", "f4", "f5", "f6", "f7");
    assertThat(res.get(0).get("source").asText()).isEqualTo("LLM");
    assertThat(res.get(0).get("label").asText()).isEqualTo("positive");
    assertThat(res).extracting(n -> n.path("fallbackReason").asText())
        .containsExactly("", "INVALID_OUTPUT", "UPSTREAM_ERROR", "TIMEOUT", "UPSTREAM_ERROR", "INVALID_OUTPUT", "INVALID_OUTPUT");
    for (int i = 1; i < posts.size(); i++) {
      JsonNode n = res.get(i);
      assertThat(n.get("source").asText()).isEqualTo("FALLBACK");
      assertThat(n.get("label").asText()).isEqualTo(posts.get(i).get("lightLabel"));
      assertThat(n.get("score").asDouble()).isEqualTo((Double) posts.get(i).get("lightScore"));
      assertThat(n.has("confidence")).isFalse();
      assertThat(n.get("rationale").asText()).startsWith("Light score kept");
    }
    // The slow answer would take 6 s; the 2 s timeout cut it short.
    assertThat(took).isLessThan(StandInBrain.SLOW.minusSeconds(1));
    // Retried once on invalid output and on 500; a timeout is not retried.
    assertThat(VLLM.calls().stream().filter(c -> c.user().contains("#malformed-once")).count()).isEqualTo(2);
    assertThat(VLLM.calls().stream().filter(c -> c.user().contains("#http500")).count()).isEqualTo(2);
    assertThat(VLLM.calls().stream().filter(c -> c.user().contains("#slow")).count()).isEqualTo(1);

    assertThat(metric("pulse_gateway_fallbacks_total", Map.of("pipeline", "faults", "reason", "INVALID_OUTPUT"))).isEqualTo(3);
    assertThat(metric("pulse_gateway_fallbacks_total", Map.of("pipeline", "faults", "reason", "TIMEOUT"))).isEqualTo(1);
    assertThat(metric("pulse_gateway_classifications_total", Map.of("pipeline", "faults", "source", "LLM"))).isEqualTo(1);
    assertThat(metric("pulse_gateway_classifications_total", Map.of("pipeline", "faults", "source", "FALLBACK"))).isEqualTo(6);
    assertThat(metric("pulse_gateway_llm_calls_seconds_count", Map.of("outcome", "timeout"))).isGreaterThanOrEqualTo(1);
  }

  @Test
  void overBudgetTheLightScoreStandsAndIsCounted() throws Exception {
    List<Map<String, Object>> posts =
        IntStream.range(0, BUDGET + 5).mapToObj(i -> item("b" + i, "great product " + i, "neutral", 0.0)).toList();
    long t0 = System.nanoTime();
    Response r = post("/v1/classify", batch("budget", posts));

    assertThat(r.status()).as(r.body()).isEqualTo(200);
    JsonNode res = r.json().get("results");
    assertThat(res).hasSize(BUDGET + 5);
    List<String> reasons = new ArrayList<>();
    res.forEach(n -> reasons.add(n.path("fallbackReason").asText("none")));
    // The budget is spent in the batch's order: the last five posts fall back.
    assertThat(reasons.subList(0, BUDGET)).containsOnly("none");
    assertThat(reasons.subList(BUDGET, BUDGET + 5)).containsOnly("BUDGET");
    assertThat(VLLM.calls()).hasSize(BUDGET);
    assertThat(metric("pulse_gateway_llm_budget_exceeded_total", Map.of("pipeline", "budget"))).isEqualTo(5);
    // The budget is the authenticated caller's: naming another pipeline in the body does not buy a fresh one (it
    // did: all ten went to the LLM). Only what the bucket refilled since (BUDGET a minute) may.
    List<Map<String, Object>> ten =
        IntStream.range(0, 10).mapToObj(i -> item("o" + i, "great " + i, "neutral", 0.0)).toList();
    JsonNode others = post("/v1/classify", batch("budget-other", ten)).json().get("results");
    long served = java.util.stream.StreamSupport.stream(others.spliterator(), false)
        .filter(n -> n.path("fallbackReason").isMissingNode()).count();
    double refilled = (System.nanoTime() - t0) / 60e9 * BUDGET;
    assertThat(served).isLessThanOrEqualTo(1 + (long) refilled).isLessThan(10);
  }

  @Test
  void noMoreThanTheConcurrencyLimitOfCallsAreInFlight() throws Exception {
    VLLM.awaitIdle(StandInBrain.SLOW.plusSeconds(1));
    StandInBrain slowish = new StandInBrain();
    VLLM.brain(call -> slowish.apply(call).after(Duration.ofMillis(150)));
    List<Map<String, Object>> posts =
        IntStream.range(0, 12).mapToObj(i -> item("c" + i, "love it " + i)).toList();
    Response r = post("/v1/classify", batch("concurrency", posts));

    assertThat(r.status()).isEqualTo(200);
    assertThat(r.json().get("results")).allSatisfy(n -> assertThat(n.get("source").asText()).isEqualTo("LLM"));
    assertThat(VLLM.maxInFlight()).isLessThanOrEqualTo(CONCURRENCY).isGreaterThan(1);
  }

  @Test
  void withQdrantDownPostsAreStillClassifiedWithoutContext() throws Exception {
    QDRANT.failing(true);
    double before = metric("pulse_gateway_rag_failures_total", Map.of());
    Response r = post("/v1/classify", batch("acme", List.of(item("q1", "Tried paying through the checkout today"))));

    JsonNode n = r.json().get("results").get(0);
    assertThat(n.get("source").asText()).isEqualTo("LLM");
    assertThat(n.get("label").asText()).isEqualTo("neutral");
    assertThat(Fenced.blocks(VLLM.calls().get(0).user(), "EXAMPLES")).isEmpty();
    assertThat(metric("pulse_gateway_rag_failures_total", Map.of())).isGreaterThan(before);
  }
}
