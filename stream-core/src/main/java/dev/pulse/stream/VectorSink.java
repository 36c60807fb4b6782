package dev.pulse.stream;

import dev.pulse.event.ScoredPost;
import java.io.Serializable;
import java.util.List;

/**
 * Where the scored posts' embeddings go (Qdrant in a cluster, memory or nowhere in local mode). Serializable: the
 * driver ships it to executors, which open their connections lazily. {@code vectors[i]} belongs to {@code posts[i]}.
 */
public interface VectorSink extends Serializable {
  void upsert(String pipeline, List<ScoredPost> posts, float[][] vectors);

  /** Embeddings are computed only when some sink wants them. */
  default boolean wantsVectors() {
    return true;
  }

  /** Stores nothing (embeddings off). */
  VectorSink NONE = new VectorSink() {
    private static final long serialVersionUID = 1L;

    @Override
    public void upsert(String pipeline, List<ScoredPost> posts, float[][] vectors) {}

    @Override
    public boolean wantsVectors() {
      return false;
    }
  };
}
