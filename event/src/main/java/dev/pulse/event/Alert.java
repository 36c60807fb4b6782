package dev.pulse.event;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * An alert with what made it fire: the metric values measured (e.g. "negativeRatio", "count", "baseline"), the
 * threshold they crossed and the posts that show it.
 */
public record Alert(
    @JsonProperty(required = true) int schemaVersion,
    AlertKind kind,
    String pipeline,
    Instant windowStart,
    Instant windowEnd,
    Map<String, Double> metrics,
    @JsonProperty(required = true) double threshold,
    List<String> evidencePostIds,
    Instant createdAt) {

  public Alert {
    SchemaVersion.check(schemaVersion);
    Validate.notNull(kind, "kind");
    Validate.notBlank(pipeline, "pipeline");
    Windows.check(windowStart, windowEnd);
    Validate.notNull(metrics, "metrics");
    Validate.notNull(evidencePostIds, "evidencePostIds");
    Validate.notNull(createdAt, "createdAt");
    metrics = Map.copyOf(metrics);
    evidencePostIds = List.copyOf(evidencePostIds);
  }

  public static Alert of(AlertKind kind, String pipeline, Instant windowStart, Instant windowEnd,
      Map<String, Double> metrics, double threshold, List<String> evidencePostIds, Instant createdAt) {
    return new Alert(SchemaVersion.CURRENT, kind, pipeline, windowStart, windowEnd, metrics, threshold,
        evidencePostIds, createdAt);
  }
}
