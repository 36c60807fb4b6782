package dev.pulse.llm.settings;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Everything the operator sets, bound from llm-gateway.properties, which maps each key to its
 * PULSE_* environment variable (see the README for the list).
 */
@ConfigurationProperties(prefix = "pulse")
public record GatewayProperties(Llm llm, Qdrant qdrant, Rag rag) {

  /**
   * @param baseUrl vLLM's OpenAI-compatible root, ending in /v1
   * @param apiKey the key vLLM was started with (--api-key); from a Secret, never logged
   * @param model the served model name: the LoRA adapter's name as vLLM serves it
   * @param assistModel the served model for alert explanations and reply drafts (default: model)
   * @param timeout per call to vLLM
   * @param batchTimeout the most a whole /v1/classify request waits before unfinished posts fall back
   * @param maxConcurrency LLM calls in flight at once, across all requests
   * @param queueCapacity LLM calls waiting for a slot before new ones fall back as OVERLOADED
   * @param budgetPerMinute LLM calls per pipeline per minute (retries count); 0 turns the LLM off
   * @param maxTokens completion length cap
   * @param maxPostChars longer posts are cut to this many characters in the prompt
   * @param foldSystemPrompt send the system prompt at the start of the user turn, for base models
   *     whose chat template has no system role (Gemma); the trainer trains them the same way
   */
  public record Llm(
      String baseUrl,
      String apiKey,
      String model,
      String assistModel,
      Duration timeout,
      Duration batchTimeout,
      int maxConcurrency,
      int queueCapacity,
      int budgetPerMinute,
      int maxTokens,
      int maxPostChars,
      boolean foldSystemPrompt) {}

  /**
   * @param apiKey from a Secret; never logged
   * @param collection the pipeline's collection of 384-dimension cosine vectors
   */
  public record Qdrant(
      String host, int port, boolean useTls, String apiKey, String collection, Duration timeout) {}

  /**
   * @param examples how many similar labelled posts go into a prompt
   * @param glossary how many glossary entries go into a prompt
   * @param embeddingModel all-minilm-l6-v2 (fp32) or all-minilm-l6-v2-q (int8): whichever embedded the
   *     points in the collection
   */
  public record Rag(int examples, int glossary, String embeddingModel) {}
}
