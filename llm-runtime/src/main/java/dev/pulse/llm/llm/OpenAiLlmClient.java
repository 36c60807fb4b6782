package dev.pulse.llm.llm;

import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.exception.HttpException;
import dev.langchain4j.exception.TimeoutException;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.ResponseFormat;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.pulse.llm.prompt.Prompt;
import java.net.http.HttpTimeoutException;
import java.util.List;

/**
 * Calls vLLM's OpenAI-compatible /v1/chat/completions through LangChain4j's OpenAI module. The
 * model's own retries are off ({@code maxRetries(0)} where it is built): retrying is the caller's
 * decision, because each retry spends the pipeline's budget.
 */
public final class OpenAiLlmClient implements LlmClient {
  private final ChatModel model;
  private final boolean foldSystemIntoUser;

  /**
   * @param foldSystemIntoUser for chat templates that reject a system role (Gemma's): the system text
   *     opens the user turn, as the trainer's {@code fold_system_into_user} does
   */
  public OpenAiLlmClient(ChatModel model, boolean foldSystemIntoUser) {
    this.model = model;
    this.foldSystemIntoUser = foldSystemIntoUser;
  }

  @Override
  public String complete(Prompt prompt, ResponseFormat format) {
    ChatRequest request =
        ChatRequest.builder()
            .modelName(prompt.model())
            .messages(messages(prompt))
            .responseFormat(format)
            .build();
    ChatResponse response;
    try {
      response = model.chat(request);
    } catch (RuntimeException e) {
      throw classify(e);
    }
    String text = response.aiMessage() == null ? null : response.aiMessage().text();
    if (text == null || text.isBlank()) {
      throw new InvalidOutputException("empty assistant message");
    }
    return text;
  }

  private List<ChatMessage> messages(Prompt prompt) {
    if (foldSystemIntoUser) {
      return List.of(UserMessage.from(prompt.system() + "\n\n" + prompt.user()));
    }
    return List.of(SystemMessage.from(prompt.system()), UserMessage.from(prompt.user()));
  }

  static LlmCallException classify(RuntimeException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof TimeoutException || t instanceof HttpTimeoutException) {
        return new LlmCallException(LlmCallException.Kind.TIMEOUT, "vLLM timed out", e);
      }
      if (t instanceof HttpException http) {
        return new LlmCallException(
            LlmCallException.Kind.UPSTREAM_ERROR, "vLLM answered HTTP " + http.statusCode(), e);
      }
    }
    return new LlmCallException(
        LlmCallException.Kind.UPSTREAM_ERROR, "vLLM call failed: " + e.getClass().getSimpleName(), e);
  }
}
