package dev.pulse.spark;

import dev.pulse.event.Post;
import dev.pulse.event.ScoredPost;
import java.io.Serializable;
import java.time.Instant;
import java.util.List;

/**
 * What happens to one partition's posts after dedup: light scoring (which embeds once, when the scorer or the
 * vector sink needs it) → escalation of the unsure ones to the LLM gateway → upsert of the vectors. The output has
 * every input post, in order, whatever the gateway or the vector store did.
 */
public final class PostProcessor implements Serializable {
  private static final long serialVersionUID = 1L;
  private final String pipeline;
  private final PostScorer scorer;
  private final LlmEscalator escalator;
  private final VectorSink vectors;

  /** @param escalator null: no LLM in this pipeline */
  public PostProcessor(String pipeline, PostScorer scorer, LlmEscalator escalator, VectorSink vectors) {
    this.pipeline = pipeline;
    this.scorer = scorer;
    this.escalator = escalator;
    this.vectors = vectors;
  }

  public static PostProcessor lightOnly(PostScorer scorer) {
    return new PostProcessor("local", scorer, null, VectorSink.NONE);
  }

  public List<ScoredPost> process(List<Post> posts, Instant now) {
    if (posts.isEmpty()) {
      return List.of();
    }
    ScoredBatch batch = scorer.scoreBatch(posts, now);
    List<ScoredPost> scored = escalator == null ? batch.posts() : escalator.escalate(batch.posts(), now);
    if (batch.vectors() != null && vectors.wantsVectors()) {
      vectors.upsert(pipeline, scored, batch.vectors());
    }
    return scored;
  }
}
