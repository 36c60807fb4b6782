package dev.pulse.spark;

import dev.pulse.event.Post;
import dev.pulse.event.ScoredPost;
import java.io.Serializable;
import java.time.Instant;
import java.util.List;

/**
 * What the job needs from scoring: posts in, scored posts out, in order. Serializable so the driver can ship it to
 * executors. The light scorer plugs in through {@link LightPostScorer}; LLM escalation will wrap one of these.
 */
public interface PostScorer extends Serializable {
  List<ScoredPost> scoreAll(List<Post> posts, Instant now);
}
