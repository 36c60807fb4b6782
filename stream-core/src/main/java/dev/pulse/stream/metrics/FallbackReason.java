package dev.pulse.stream.metrics;

import java.util.Locale;

/**
 * Why an escalated post kept its light score (tier FALLBACK), as a label value. The first five are the stream
 * core's own view of the gateway call; {@link #GATEWAY} means the gateway answered but itself fell back (its
 * {@code pulse_gateway_fallbacks_total} says why); the last two mean no call was made.
 */
public enum FallbackReason {
  TIMEOUT,
  HTTP_ERROR,
  UNREACHABLE,
  BAD_ANSWER,
  INTERRUPTED,
  GATEWAY,
  /** The gateway's circuit breaker is open after repeated failures: no call was made. */
  CIRCUIT_OPEN,
  /** As many posts as allowed already wait for the LLM (the local loop's bound): no call was made. */
  OVERLOADED;

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
