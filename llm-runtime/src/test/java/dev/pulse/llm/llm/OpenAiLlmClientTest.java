package dev.pulse.llm.llm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.pulse.llm.prompt.Prompt;
import dev.pulse.llm.standin.VllmStandIn;
import dev.pulse.llm.standin.VllmStandIn.Reply;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** LangChain4j's OpenAI client against the vLLM stand-in, without Spring. */
class OpenAiLlmClientTest {
  final VllmStandIn vllm = newStandIn();
  final Prompt prompt = new Prompt("adapter", "SYSTEM TEXT", "USER TEXT");

  static VllmStandIn newStandIn() {
    try {
      return new VllmStandIn(Set.of("adapter"));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  OpenAiLlmClient client(boolean fold) {
    return new OpenAiLlmClient(
        OpenAiChatModel.builder().baseUrl(vllm.baseUrl()).apiKey("EMPTY").modelName("adapter").timeout(Duration.ofMillis(500)).maxRetries(0).build(),
        fold);
  }

  @AfterEach
  void stop() {
    vllm.close();
  }

  @Test
  void foldsTheSystemPromptIntoTheUserTurnForTemplatesWithoutASystemRole() {
    vllm.rejectSystemRole(true);
    vllm.brain(call -> Reply.content("{}"));
    assertThatThrownBy(() -> client(false).complete(prompt, OutputSchemas.CLASSIFICATION))
        .isInstanceOfSatisfying(LlmCallException.class, e -> assertThat(e.kind()).isEqualTo(LlmCallException.Kind.UPSTREAM_ERROR))
        .hasMessageContaining("400");

    assertThat(client(true).complete(prompt, OutputSchemas.CLASSIFICATION)).isEqualTo("{}");
    VllmStandIn.ChatCall call = vllm.calls().get(vllm.calls().size() - 1);
    assertThat(call.system()).isEmpty();
    assertThat(call.user()).isEqualTo("SYSTEM TEXT\n\nUSER TEXT");
  }

  @Test
  void mapsFaultsToTheirKinds() {
    vllm.brain(call -> Reply.content("{}").after(Duration.ofSeconds(2)));
    assertThatThrownBy(() -> client(false).complete(prompt, OutputSchemas.CLASSIFICATION))
        .isInstanceOfSatisfying(LlmCallException.class, e -> assertThat(e.kind()).isEqualTo(LlmCallException.Kind.TIMEOUT));
    vllm.brain(call -> Reply.raw("<html>502</html>"));
    assertThatThrownBy(() -> client(false).complete(prompt, OutputSchemas.CLASSIFICATION))
        .isInstanceOfSatisfying(LlmCallException.class, e -> assertThat(e.kind()).isEqualTo(LlmCallException.Kind.UPSTREAM_ERROR));
    vllm.brain(call -> Reply.content(""));
    assertThatThrownBy(() -> client(false).complete(prompt, OutputSchemas.CLASSIFICATION)).isInstanceOf(InvalidOutputException.class);
  }

  @Test
  void anUnknownModelIsAnUpstreamError() {
    OpenAiLlmClient c = client(false);
    assertThatThrownBy(() -> c.complete(new Prompt("no-such-adapter", "s", "u"), OutputSchemas.CLASSIFICATION))
        .isInstanceOfSatisfying(LlmCallException.class, e -> assertThat(e.getMessage()).contains("404"));
  }
}
