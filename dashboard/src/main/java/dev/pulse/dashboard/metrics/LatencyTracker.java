package dev.pulse.dashboard.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Arrays;

/**
 * Ingest-to-dashboard latency: from the moment the ingester stamped a post to the moment the dashboard holds it.
 * Published as a histogram in seconds ({@code pulse_dashboard_ingest_latency_seconds_bucket}) and kept per interval for
 * the local run's console. The LLM's verdict on a post already shown with its light score (an update of the same
 * post) is timed apart ({@code pulse_dashboard_llm_verdict_latency_seconds_bucket}): it measures the LLM, not how
 * soon the post is seen.
 */
public final class LatencyTracker {
  private static final Duration[] BUCKETS = {
      Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100),
      Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofMillis(2500),
      Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofSeconds(60)};
  private final Samples posts;
  private final Samples verdicts;

  public LatencyTracker(MeterRegistry registry) {
    this.posts = new Samples(Timer.builder("pulse.dashboard.ingest.latency")
        .description("time from ingestion of a post to its arrival at the dashboard")
        // Buckets, not client-side percentiles: Prometheus aggregates buckets across pods (histogram_quantile).
        .serviceLevelObjectives(BUCKETS)
        .register(registry));
    this.verdicts = new Samples(Timer.builder("pulse.dashboard.llm.verdict.latency")
        .description("time from ingestion of a post to the arrival of the LLM's verdict that updates it")
        .serviceLevelObjectives(BUCKETS)
        .register(registry));
  }

  /** A post's first arrival (or a repeat). */
  public void record(long millis) {
    posts.record(millis);
  }

  /** The LLM's verdict on a post already held with its light score. */
  public void recordVerdict(long millis) {
    verdicts.record(millis);
  }

  /** p50 and p99 (ms) and the number of posts since the last call; starts a new interval. */
  public Snapshot snapshotAndReset() {
    return posts.snapshotAndReset();
  }

  /** The same for the LLM verdicts (updates) since the last call. */
  public Snapshot verdictSnapshotAndReset() {
    return verdicts.snapshotAndReset();
  }

  private static final class Samples {
    private final Timer timer;
    private long[] samples = new long[1024];
    private int count;

    Samples(Timer timer) {
      this.timer = timer;
    }

    void record(long millis) {
      long m = Math.max(0, millis);
      timer.record(Duration.ofMillis(m));
      synchronized (this) {
        if (count == samples.length) {
          samples = Arrays.copyOf(samples, Math.min(samples.length * 2, 1 << 20));
          if (count == samples.length) {
            return;
          }
        }
        samples[count++] = m;
      }
    }

    synchronized Snapshot snapshotAndReset() {
      long[] s = Arrays.copyOf(samples, count);
      count = 0;
      Arrays.sort(s);
      return new Snapshot(s.length, percentile(s, 0.50), percentile(s, 0.99));
    }
  }

  private static long percentile(long[] sorted, double p) {
    if (sorted.length == 0) {
      return -1;
    }
    return sorted[(int) Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)];
  }

  public record Snapshot(int posts, long p50Millis, long p99Millis) {}
}
