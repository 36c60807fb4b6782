package dev.pulse.dashboard.local;

import dev.pulse.event.Post;
import dev.pulse.event.ScoredPost;
import java.util.List;

/**
 * The scoring step of the local run. Today: {@link LightPostScorer}, the light scorer in this JVM. The Spark job
 * (dev.pulse.spark) in local mode is meant to take this place once it exists; it is not wired yet.
 */
interface PostScorer {
  List<ScoredPost> score(List<Post> posts);

  /** What the console says is scoring. */
  String description();
}
