package dev.pulse.llm.classify;

/** Who produced a result: the LLM, or the caller's light score standing in for it. */
public enum Source {
  LLM,
  FALLBACK
}
