package dev.pulse.dashboard;

import dev.pulse.event.Aggregate;
import dev.pulse.event.Alert;
import dev.pulse.event.AlertKind;
import dev.pulse.event.Geo;
import dev.pulse.event.Label;
import dev.pulse.event.Post;
import dev.pulse.event.ScoredPost;
import dev.pulse.event.Source;
import dev.pulse.event.TermCount;
import dev.pulse.event.ScoredBy;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Records in the event schema, shaped as the pipeline writes them. */
public final class Records {
  private Records() {}

  public static ScoredPost scored(String id, Source source, String text, Label label, double score, Geo geo) {
    Instant now = Instant.now();
    Post post = Post.of(id, source, "northwind-replay", "a1b2c3", text, "en", now.minusSeconds(30), now,
        "https://example.com/" + id, geo, null);
    return ScoredPost.of(post, label, score, 0.9, ScoredBy.LIGHT, false, null, now);
  }

  /** A post ingested at {@code at}, scored by {@code tier} (LLM ones escalated, with the model's rationale). */
  public static ScoredPost scored(String id, Source source, String text, Label label, double score, Geo geo,
      Instant at, ScoredBy tier, String rationale) {
    Post post = Post.of(id, source, "northwind-replay", "a1b2c3", text, "en", at.minusSeconds(30), at,
        "https://example.com/" + id, geo, null);
    return ScoredPost.of(post, label, score, 0.9, tier, tier != ScoredBy.LIGHT, rationale, at);
  }

  public static Aggregate aggregate(String pipeline, Instant start, String source, String geo, long neg, long neu,
      long pos, double mean, List<TermCount> terms) {
    return Aggregate.of(pipeline, start, start.plusSeconds(10), source, geo, neg, neu, pos, mean, terms);
  }

  public static Alert crisis(String pipeline, Instant start, List<String> evidence) {
    return Alert.of(AlertKind.CRISIS, pipeline, start, start.plusSeconds(30),
        Map.of("negativeRatio", 0.8, "count", 120.0), 0.6, evidence, Instant.now());
  }
}
