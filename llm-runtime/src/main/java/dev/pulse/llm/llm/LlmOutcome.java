package dev.pulse.llm.llm;

import dev.pulse.llm.model.FallbackReason;

/** Either a validated answer or the reason there is none. */
public record LlmOutcome<T>(T value, FallbackReason fallback) {

  public static <T> LlmOutcome<T> ok(T value) {
    return new LlmOutcome<>(value, null);
  }

  public static <T> LlmOutcome<T> fallback(FallbackReason reason) {
    return new LlmOutcome<>(null, reason);
  }

  public boolean isOk() {
    return fallback == null;
  }
}
