package dev.pulse.stream;

import dev.pulse.event.Label;
import dev.pulse.event.Post;
import dev.pulse.event.ScoredPost;
import dev.pulse.event.ScoredBy;
import dev.pulse.scoring.LightScorer;
import dev.pulse.scoring.Score;
import dev.pulse.scoring.SentimentScorer;
import dev.pulse.scoring.learned.Embedder;
import dev.pulse.scoring.learned.EmbeddingSettings;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The light scorer of {@code dev.pulse.scoring} as a {@link PostScorer}: tier LIGHT. The full scorer's learned tier
 * needs the all-MiniLM-L6-v2 vector that the vector store wants too, so the batch is embedded once and both use it
 * (the full scorer's fine-tuned encoder is a second pass of its own).
 * With the lexicon tier, {@code embed} says whether to embed for the vector store at all.
 */
public final class LightPostScorer implements PostScorer {
  private static final long serialVersionUID = 3L;
  private final SentimentScorer scorer;
  private final boolean embed;
  private final EmbeddingSettings embedding;

  public LightPostScorer(SentimentScorer scorer) {
    this(scorer, scorer instanceof LightScorer);
  }

  public LightPostScorer(SentimentScorer scorer, boolean embed) {
    this(scorer, embed, EmbeddingSettings.DEFAULT);
  }

  public LightPostScorer(SentimentScorer scorer, boolean embed, EmbeddingSettings embedding) {
    this.scorer = scorer;
    this.embed = embed || scorer instanceof LightScorer;
    this.embedding = embedding;
  }

  public boolean embeds() {
    return embed;
  }

  @Override
  public List<ScoredPost> scoreAll(List<Post> posts, Instant now) {
    return scoreBatch(posts, now).posts();
  }

  @Override
  public ScoredBatch scoreBatch(List<Post> posts, Instant now) {
    List<String> texts = posts.stream().map(Post::text).toList();
    List<Embedder.PostVectors> encoded = !embed || texts.isEmpty() ? null
        : scorer instanceof LightScorer light ? light.encode(Embedder.shared(embedding), texts)
        : Embedder.shared(embedding).encode(texts);
    float[][] vectors = encoded == null ? null : encoded.stream().map(Embedder.PostVectors::embedding).toArray(float[][]::new);
    List<Score> scores = scorer instanceof LightScorer light && encoded != null
        ? light.scoreEncoded(texts, encoded)
        : scorer.scoreAll(texts);
    List<ScoredPost> out = new ArrayList<>(posts.size());
    for (int i = 0; i < posts.size(); i++) {
      Score s = scores.get(i);
      out.add(ScoredPost.of(posts.get(i), s.label(), clamp(s.score(), -1, 1),
          clamp(s.confidence(), 0, 1), ScoredBy.LIGHT, false, s.crisis() ? "crisis keyword" : null, now));
    }
    return new ScoredBatch(out, vectors);
  }

  static double clamp(double v, double min, double max) {
    return Double.isNaN(v) ? 0 : Math.max(min, Math.min(max, v));
  }
}
