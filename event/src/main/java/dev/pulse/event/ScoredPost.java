package dev.pulse.event;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;

/**
 * A post with its sentiment. {@code score} runs from -1 (negative) to 1 (positive); {@code confidence} from 0 to 1.
 * {@code escalated} says the post was sent to the LLM, whatever came back ({@link ScoredBy#FALLBACK} when nothing did).
 */
public record ScoredPost(
    @JsonProperty(required = true) int schemaVersion,
    Post post,
    Label label,
    @JsonProperty(required = true) double score,
    @JsonProperty(required = true) double confidence,
    ScoredBy tier,
    @JsonProperty(required = true) boolean escalated,
    String rationale,
    Instant scoredAt) {

  public ScoredPost {
    SchemaVersion.check(schemaVersion);
    Validate.notNull(post, "post");
    Validate.notNull(label, "label");
    Validate.inRange(score, -1, 1, "score");
    Validate.inRange(confidence, 0, 1, "confidence");
    Validate.notNull(tier, "tier");
    Validate.notNull(scoredAt, "scoredAt");
    if (tier != ScoredBy.LIGHT && !escalated) {
      throw new IllegalArgumentException("tier " + tier + " requires escalated=true");
    }
  }

  public static ScoredPost of(Post post, Label label, double score, double confidence, ScoredBy tier, boolean escalated,
      String rationale, Instant scoredAt) {
    return new ScoredPost(SchemaVersion.CURRENT, post, label, score, confidence, tier, escalated, rationale, scoredAt);
  }
}
