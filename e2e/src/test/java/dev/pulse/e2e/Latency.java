package dev.pulse.e2e;

import java.util.List;
import java.util.Locale;

/** p50 / p95 / p99 of one run in milliseconds (-1: none measured). */
record Latency(long p50, long p95, long p99) {

  static final Latency NONE = new Latency(-1, -1, -1);

  /** Nearest-rank percentiles of per-post latencies (the same rule as the suite's latency step). */
  static Latency of(List<Long> millis) {
    if (millis.isEmpty()) {
      return NONE;
    }
    List<Long> sorted = millis.stream().sorted().toList();
    return new Latency(PipelineTopics.percentile(sorted, 0.50), PipelineTopics.percentile(sorted, 0.95),
        PipelineTopics.percentile(sorted, 0.99));
  }

  boolean measured() {
    return p99 >= 0;
  }

  /** "p50 / p95 / p99" for a table cell, "–" when none. */
  String cell() {
    return measured() ? String.format(Locale.ROOT, "%,d / %,d / %,d", p50, p95, p99) : "–";
  }
}
