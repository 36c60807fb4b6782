package dev.pulse.ingest;

import java.time.Duration;

/** Waits; a seam so that shutdown can cut a wait short. */
@FunctionalInterface
public interface Sleeper {
  void sleep(Duration d) throws InterruptedException;

  Sleeper REAL = d -> {
    if (!d.isZero() && !d.isNegative()) {
      Thread.sleep(d.toMillis(), (int) (d.toNanos() % 1_000_000));
    }
  };
}
