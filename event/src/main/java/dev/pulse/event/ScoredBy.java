package dev.pulse.event;

/** Which scorer produced the final label: the in-JVM light scorer, the LLM, or the light score kept after the LLM failed. */
public enum ScoredBy {
  LIGHT,
  LLM,
  FALLBACK
}
