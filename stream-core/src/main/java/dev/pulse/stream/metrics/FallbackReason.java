package dev.pulse.stream.metrics;

import java.util.Locale;

/**
 * Why an escalated post kept its light score (tier FALLBACK), as a label value. The first five are the stream
 * core's own view of the gateway call; {@link #GATEWAY} means the gateway answered but itself fell back (its
 * {@code pulse_gateway_fallbacks_total} says why).
 */
public enum FallbackReason {
  TIMEOUT,
  HTTP_ERROR,
  UNREACHABLE,
  BAD_ANSWER,
  INTERRUPTED,
  GATEWAY;

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
