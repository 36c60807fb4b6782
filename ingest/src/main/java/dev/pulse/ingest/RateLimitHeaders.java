package dev.pulse.ingest;

import java.net.http.HttpHeaders;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Optional;

/**
 * How long a server asks us to wait, from the headers each API uses: {@code Retry-After} (seconds or an HTTP date),
 * X's {@code x-rate-limit-reset} (epoch seconds) and Reddit's {@code X-Ratelimit-Reset} (seconds from now).
 */
public final class RateLimitHeaders {
  private RateLimitHeaders() {}

  public static Optional<Duration> waitHint(HttpHeaders headers, Instant now) {
    Optional<Duration> retryAfter = headers.firstValue("retry-after").flatMap(v -> retryAfter(v, now));
    if (retryAfter.isPresent()) {
      return retryAfter;
    }
    Optional<Duration> xReset = headers.firstValue("x-rate-limit-reset").flatMap(RateLimitHeaders::number)
        .map(epoch -> Duration.ofMillis(Math.max(0, (long) (epoch * 1000) - now.toEpochMilli())));
    if (xReset.isPresent()) {
      return xReset;
    }
    return headers.firstValue("x-ratelimit-reset").flatMap(RateLimitHeaders::number)
        .map(seconds -> Duration.ofMillis((long) (Math.max(0, seconds) * 1000)));
  }

  /** Reddit's budget left in the current window; empty when the header is absent. */
  public static Optional<Double> redditRemaining(HttpHeaders headers) {
    return headers.firstValue("x-ratelimit-remaining").flatMap(RateLimitHeaders::number);
  }

  static Optional<Duration> retryAfter(String value, Instant now) {
    Optional<Double> seconds = number(value);
    if (seconds.isPresent()) {
      return Optional.of(Duration.ofMillis((long) (Math.max(0, seconds.get()) * 1000)));
    }
    try {
      Instant at = ZonedDateTime.parse(value.trim(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
      return Optional.of(at.isAfter(now) ? Duration.between(now, at) : Duration.ZERO);
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }

  private static Optional<Double> number(String value) {
    try {
      return Optional.of(Double.parseDouble(value.trim()));
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }
}
