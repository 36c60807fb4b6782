package dev.pulse.spark;

import dev.pulse.event.Label;
import dev.pulse.event.Post;
import dev.pulse.event.ScoredPost;
import dev.pulse.event.Tier;
import dev.pulse.scoring.Score;
import dev.pulse.scoring.SentimentScorer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** The light scorer of {@code dev.pulse.scoring} as a {@link PostScorer}: tier LIGHT, nothing escalated yet. */
public final class LightPostScorer implements PostScorer {
  private static final long serialVersionUID = 1L;
  private final SentimentScorer scorer;

  public LightPostScorer(SentimentScorer scorer) {
    this.scorer = scorer;
  }

  @Override
  public List<ScoredPost> scoreAll(List<Post> posts, Instant now) {
    List<Score> scores = scorer.scoreAll(posts.stream().map(Post::text).toList());
    List<ScoredPost> out = new ArrayList<>(posts.size());
    for (int i = 0; i < posts.size(); i++) {
      Score s = scores.get(i);
      out.add(ScoredPost.of(posts.get(i), Label.valueOf(s.label().name()), clamp(s.score(), -1, 1),
          clamp(s.confidence(), 0, 1), Tier.LIGHT, false, s.crisis() ? "crisis keyword" : null, now));
    }
    return out;
  }

  private static double clamp(double v, double min, double max) {
    return Double.isNaN(v) ? 0 : Math.max(min, Math.min(max, v));
  }
}
