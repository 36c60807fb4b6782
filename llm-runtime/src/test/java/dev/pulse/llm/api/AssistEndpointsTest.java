package dev.pulse.llm.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pulse.llm.GatewayTestSupport;
import dev.pulse.llm.prompt.SystemPrompts;
import dev.pulse.llm.standin.Fenced;
import dev.pulse.llm.standin.VllmStandIn.ChatCall;
import dev.pulse.llm.standin.VllmStandIn.Reply;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AssistEndpointsTest extends GatewayTestSupport {
  static final List<Map<String, Object>> EVIDENCE =
      List.of(
          Map.of("id", "e1", "text", "Checkout is broken again, payment declined twice", "label", "negative", "score", -0.8),
          Map.of("id", "e2", "text", "Payment declined at checkout, what is going on", "label", "negative"),
          Map.of("id", "e3", "text", "Ordered new sneakers today", "label", "neutral"));

  @Test
  void explainsAnAlertFromItsEvidence() throws Exception {
    Response r =
        post("/v1/alerts/explain", Map.of("pipeline", "acme", "alertId", "a-1", "trigger", "negative ratio 0.67 over 10m", "evidence", EVIDENCE));

    assertThat(r.status()).as(r.body()).isEqualTo(200);
    JsonNode body = r.json();
    assertThat(body.get("source").asText()).isEqualTo("LLM");
    assertThat(body.get("summary").asText()).isEqualTo("2 of 3 posts complain; alert a-1.");
    assertThat(body.get("evidenceIds")).extracting(JsonNode::asText).containsExactly("e1", "e2", "e3");
    ChatCall call = VLLM.calls().get(0);
    assertThat(call.model()).isEqualTo(ASSIST_MODEL);
    assertThat(call.system()).isEqualTo(SystemPrompts.EXPLAIN);
    JsonNode data = JSON.readTree(Fenced.only(call.user(), "DATA"));
    assertThat(data.path("alert").path("trigger").asText()).isEqualTo("negative ratio 0.67 over 10m");
    assertThat(data.path("evidence")).hasSize(3);
  }

  @Test
  void withoutTheLlmTheExplanationIsCountedFromTheEvidence() throws Exception {
    VLLM.brain(call -> Reply.error(500, "engine dead"));
    Response r = post("/v1/alerts/explain", Map.of("pipeline", "acme", "alertId", "a-2", "evidence", EVIDENCE));

    assertThat(r.status()).isEqualTo(200);
    JsonNode body = r.json();
    assertThat(body.get("source").asText()).isEqualTo("FALLBACK");
    assertThat(body.get("fallbackReason").asText()).isEqualTo("UPSTREAM_ERROR");
    assertThat(body.get("summary").asText()).startsWith("2 of 3 evidence posts are negative").contains("checkout").contains("payment");
  }

  @Test
  void draftsAReplyGroundedInTheRetrievedGlossary() throws Exception {
    Response r =
        post(
            "/v1/responses/draft",
            Map.of("pipeline", "acme", "post", Map.of("id", "p9", "text", "FastPay checkout declined my card three times, fix it")));

    assertThat(r.status()).as(r.body()).isEqualTo(200);
    JsonNode body = r.json();
    assertThat(body.get("subjectId").asText()).isEqualTo("p9");
    assertThat(body.get("tone").asText()).isEqualTo("apologetic");
    // The stand-in grounds its reply in the first glossary entry it was given: the FastPay one.
    assertThat(body.get("reply").asText()).contains("FastPay");
    assertThat(body.get("glossaryUsed").get(0).asText()).startsWith("FastPay");
    assertThat(body.get("examplesUsed").asInt()).isPositive();
    assertThat(VLLM.calls().get(0).model()).isEqualTo(ASSIST_MODEL);
  }

  @Test
  void draftsAReplyToAnAlert() throws Exception {
    Response r =
        post(
            "/v1/responses/draft",
            Map.of("pipeline", "acme", "alert", Map.of("id", "a-3", "summary", "Payments fail at checkout", "evidence", EVIDENCE)));

    assertThat(r.status()).as(r.body()).isEqualTo(200);
    assertThat(r.json().get("subjectId").asText()).isEqualTo("a-3");
    JsonNode data = JSON.readTree(Fenced.only(VLLM.calls().get(0).user(), "DATA"));
    assertThat(data.path("alert").path("evidence")).hasSize(3);
  }

  @Test
  void withoutTheLlmThereIsNoDraftAndTheCallerIsToldWhy() throws Exception {
    VLLM.brain(call -> Reply.content("not json"));
    Response r = post("/v1/responses/draft", Map.of("pipeline", "acme", "post", Map.of("id", "p9", "text", "hello")));

    assertThat(r.status()).isEqualTo(503);
    assertThat(r.json().get("error").asText()).isEqualTo("llm_unavailable");
    assertThat(r.json().get("message").asText()).contains("invalid output");
  }
}
