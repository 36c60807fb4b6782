package dev.pulse.e2e;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * One rate of a sweep, on the cluster or in local mode, and the rule both are judged by: a rate is <em>sustained</em>
 * when every post came back scored, at no less than {@link #KEPT_UP} of the offered rate, with p99 ingest → scored
 * latency under a second. The sustained rate of a sweep is the highest throughput among its sustained rates.
 */
interface RateRun {

  /** Achieved at least this share of the offered rate (the rest is the last posts' own latency and pacing). */
  double KEPT_UP = 0.95;
  long P99_BOUND_MILLIS = 1000;

  /** Offered posts/s. */
  int rate();

  /** Posts measured. */
  int posts();

  /** Scored posts/s: posts / (last scored − first ingested). */
  double achieved();

  /** Ingest → scored topic. */
  Latency latency();

  /** Every post came back scored (or dead-lettered) in time. */
  boolean finished();

  static boolean sustained(RateRun r) {
    return r.finished() && r.latency().measured() && r.latency().p99() < P99_BOUND_MILLIS
        && r.achieved() >= KEPT_UP * r.rate();
  }

  static Optional<RateRun> bestSustained(List<? extends RateRun> runs) {
    return runs.stream().filter(RateRun::sustained).map(r -> (RateRun) r)
        .max(Comparator.comparingDouble(RateRun::achieved));
  }

  /** Throughput as {@code ./pulse bench pipeline} measures it: posts over (last arrival − first send). */
  static double throughput(int posts, long firstSentMillis, long lastArrivedMillis) {
    long millis = lastArrivedMillis - firstSentMillis;
    return posts <= 0 || millis <= 0 ? 0 : posts * 1000.0 / millis;
  }
}
