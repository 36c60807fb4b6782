package dev.pulse.stream;

import dev.pulse.event.Post;
import dev.pulse.event.ScoredPost;
import java.io.Serializable;
import java.time.Instant;
import java.util.List;

/**
 * What the job needs from scoring: posts in, scored posts out, in order. Serializable so the driver can ship it to
 * executors. The light scorer plugs in through {@link LightPostScorer}; {@link PostProcessor} adds LLM escalation
 * and the vector store around one of these.
 */
public interface PostScorer extends Serializable {
  List<ScoredPost> scoreAll(List<Post> posts, Instant now);

  /** Scores and, where the scorer embeds anyway, hands the vectors on (so nothing is embedded twice). */
  default ScoredBatch scoreBatch(List<Post> posts, Instant now) {
    return new ScoredBatch(scoreAll(posts, now), null);
  }
}
