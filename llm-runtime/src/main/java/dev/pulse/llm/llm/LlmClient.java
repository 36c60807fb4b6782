package dev.pulse.llm.llm;

import dev.langchain4j.model.chat.request.ResponseFormat;
import dev.pulse.llm.prompt.Prompt;

/** One chat completion: the assistant message's text, or an {@link LlmCallException}. */
public interface LlmClient {
  String complete(Prompt prompt, ResponseFormat format);
}
