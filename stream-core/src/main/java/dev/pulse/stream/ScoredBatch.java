package dev.pulse.stream;

import dev.pulse.event.ScoredPost;
import java.util.List;

/**
 * Scored posts of one partition, in input order, with their all-MiniLM-L6-v2 vectors when the scorer computed them
 * ({@code vectors} null otherwise, e.g. the lexicon tier with embeddings off).
 */
public record ScoredBatch(List<ScoredPost> posts, float[][] vectors) {
  public ScoredBatch {
    if (vectors != null && vectors.length != posts.size()) {
      throw new IllegalArgumentException(vectors.length + " vectors for " + posts.size() + " posts");
    }
  }

  public ScoredBatch withPosts(List<ScoredPost> replaced) {
    return new ScoredBatch(replaced, vectors);
  }
}
