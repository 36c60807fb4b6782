package dev.pulse.llm.model;

/** Why the LLM's answer was not used. Each reason is a metric tag, so the set stays small. */
public enum FallbackReason {
  /** The pipeline's budget of LLM calls per minute was spent. */
  BUDGET,
  /** vLLM did not answer within the timeout, or the batch deadline passed. */
  TIMEOUT,
  /** vLLM answered with an error status or an unreadable body, twice. */
  UPSTREAM_ERROR,
  /** vLLM's answer failed validation (not the schema, a label outside the enum, a prompt leak), twice. */
  INVALID_OUTPUT,
  /** The gateway's queue of LLM calls was full. */
  OVERLOADED
}
