package dev.pulse.llm.model;

/** Who produced a result: the LLM, or the caller's light score standing in for it. */
public enum Source {
  LLM,
  FALLBACK
}
