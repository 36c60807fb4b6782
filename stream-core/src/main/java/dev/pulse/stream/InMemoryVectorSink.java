package dev.pulse.stream;

import dev.pulse.event.PointIds;

import dev.pulse.event.ScoredPost;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Local mode's vector store: points kept in this JVM under a store name (driver and executors share the JVM in
 * local mode), keyed by the same point id Qdrant would get. For `./pulse spark` without Qdrant, and tests.
 */
public final class InMemoryVectorSink implements VectorSink {
  private static final long serialVersionUID = 1L;
  private static final Map<String, Map<UUID, Point>> STORES = new ConcurrentHashMap<>();

  /** A stored point: the vector and the post as scored. */
  public record Point(float[] vector, ScoredPost post, String pipeline) {}

  private final String store;

  public InMemoryVectorSink(String store) {
    this.store = store;
  }

  public static Map<UUID, Point> points(String store) {
    return STORES.computeIfAbsent(store, k -> new ConcurrentHashMap<>());
  }

  @Override
  public void upsert(String pipeline, List<ScoredPost> posts, float[][] vectors) {
    Map<UUID, Point> points = points(store);
    for (int i = 0; i < posts.size(); i++) {
      points.put(PointIds.of(posts.get(i).post().id()), new Point(vectors[i], posts.get(i), pipeline));
    }
  }
}
