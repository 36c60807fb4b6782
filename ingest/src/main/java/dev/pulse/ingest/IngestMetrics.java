package dev.pulse.ingest;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The ingester's meters, all tagged with the feed and its type: posts fetched / produced / filtered (by reason) /
 * failed (by reason), HTTP responses by status, and lag (seconds from a post's creation to its ingestion).
 */
public final class IngestMetrics {
  private final PrometheusMeterRegistry registry;
  private final Tags tags;
  private final Counter fetched;
  private final Counter produced;
  private final AtomicLong lagMillis = new AtomicLong();
  private final AtomicLong rateLimitRemaining = new AtomicLong(-1);

  public IngestMetrics(String feed, String type) {
    this.registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    this.tags = Tags.of("feed", feed, "type", type);
    this.fetched = Counter.builder("pulse.ingest.posts.fetched").tags(tags).register(registry);
    this.produced = Counter.builder("pulse.ingest.posts.produced").tags(tags).register(registry);
    // The reasons every feed type can count, at 0 from the start: dashboards show a flat line, increase() a rise.
    for (String reason : new String[] {"keyword", "language"}) {
      Counter.builder("pulse.ingest.posts.filtered").tags(tags).tag("reason", reason).register(registry);
    }
    for (String reason : new String[] {"fetch", "malformed", "produce", Rejected.INVALID_RECORD, Rejected.TOO_LARGE,
        "source_error"}) {
      Counter.builder("pulse.ingest.failures").tags(tags).tag("reason", reason).register(registry);
    }
    registry.gauge("pulse.ingest.lag.seconds", tags, lagMillis, v -> v.get() / 1000.0);
    registry.gauge("pulse.ingest.ratelimit.remaining", tags, rateLimitRemaining, AtomicLong::get);
  }

  public PrometheusMeterRegistry registry() {
    return registry;
  }

  public MeterRegistry meterRegistry() {
    return registry;
  }

  public void fetched(int n) {
    fetched.increment(n);
  }

  public void produced(int n) {
    produced.increment(n);
  }

  public void filtered(String reason, int n) {
    if (n > 0) {
      Counter.builder("pulse.ingest.posts.filtered").tags(tags).tag("reason", reason).register(registry).increment(n);
    }
  }

  public void failed(String reason) {
    Counter.builder("pulse.ingest.failures").tags(tags).tag("reason", reason).register(registry).increment();
  }

  /** An item written to the dead-letter topic, by reason (invalid_record, too_large). */
  public void deadLettered(String reason) {
    Counter.builder("pulse.ingest.dead.letters").tags(tags).tag("reason", reason).register(registry).increment();
  }

  public void httpStatus(int status) {
    Counter.builder("pulse.ingest.http.responses").tags(tags).tag("status", Integer.toString(status))
        .register(registry).increment();
  }

  public void lagMillis(long millis) {
    lagMillis.set(Math.max(0, millis));
  }

  public void rateLimitRemaining(double remaining) {
    rateLimitRemaining.set((long) remaining);
  }

  public double count(String name, String... extraTags) {
    Counter c = registry.find(name).tags(tags).tags(extraTags).counter();
    return c == null ? 0 : c.count();
  }
}
