package dev.pulse.ingest;

import dev.pulse.contract.IngestConfig;

import dev.pulse.contract.Durations;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * Exponential backoff with jitter: attempt n waits a random time in [d/2, d] with d = min(max, initial * 2^n), and
 * never less than what the server asked for (Retry-After or a rate-limit reset).
 */
public record Backoff(Duration initial, Duration max, int maxAttempts, Duration maxWait) {

  public static Backoff from(IngestConfig.Backoff config) {
    return new Backoff(Durations.parse(config.initial()), Durations.parse(config.max()), config.maxAttempts(),
        Durations.parse(config.maxWait()));
  }

  public Duration delay(int attempt, Duration serverHint, RandomGenerator random) {
    long cap = max.toMillis();
    long exp = initial.toMillis() << Math.min(attempt, 30);
    long ceiling = Math.max(1, Math.min(cap, exp < 0 ? cap : exp));
    long jittered = ceiling / 2 + random.nextLong(ceiling - ceiling / 2 + 1);
    long hinted = serverHint == null ? 0 : serverHint.toMillis();
    return Duration.ofMillis(Math.min(Math.max(jittered, hinted), maxWait.toMillis()));
  }
}
