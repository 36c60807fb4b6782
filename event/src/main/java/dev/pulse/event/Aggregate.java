package dev.pulse.event;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.List;

/**
 * Sentiment over one window for one pipeline, per source and geo cell. {@code source} and {@code geoCell} are "*"
 * for the roll-up over all of them; the three label counts add up to {@code count}.
 */
public record Aggregate(
    @JsonProperty(required = true) int schemaVersion,
    String pipeline,
    Instant windowStart,
    Instant windowEnd,
    String source,
    String geoCell,
    @JsonProperty(required = true) long count,
    @JsonProperty(required = true) double meanScore,
    @JsonProperty(required = true) long negative,
    @JsonProperty(required = true) long neutral,
    @JsonProperty(required = true) long positive,
    List<TermCount> topTerms) {

  public Aggregate {
    SchemaVersion.check(schemaVersion);
    Validate.notBlank(pipeline, "pipeline");
    Windows.check(windowStart, windowEnd);
    Validate.notBlank(source, "source");
    Validate.notBlank(geoCell, "geoCell");
    Validate.notNegative(count, "count");
    Validate.inRange(meanScore, -1, 1, "meanScore");
    if (negative + neutral + positive != count) {
      throw new IllegalArgumentException(
          "negative + neutral + positive (" + (negative + neutral + positive) + ") != count (" + count + ")");
    }
    topTerms = topTerms == null ? List.of() : List.copyOf(topTerms);
  }

  public static Aggregate of(String pipeline, Instant windowStart, Instant windowEnd, String source, String geoCell,
      long negative, long neutral, long positive, double meanScore, List<TermCount> topTerms) {
    return new Aggregate(SchemaVersion.CURRENT, pipeline, windowStart, windowEnd, source, geoCell,
        negative + neutral + positive, meanScore, negative, neutral, positive, topTerms);
  }
}
