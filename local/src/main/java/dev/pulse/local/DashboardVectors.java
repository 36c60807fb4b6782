package dev.pulse.local;

import dev.pulse.dashboard.vector.VectorStore;
import dev.pulse.event.ScoredPost;
import dev.pulse.stream.VectorSink;
import java.util.List;

/** The stream core's vector sink for the local run: the dashboard's in-memory store, for "posts like this". */
final class DashboardVectors implements VectorSink {
  private static final long serialVersionUID = 1L;
  private final transient VectorStore store;

  DashboardVectors(VectorStore store) {
    this.store = store;
  }

  @Override
  public void upsert(String pipeline, List<ScoredPost> posts, float[][] vectors) {
    for (int i = 0; i < posts.size(); i++) store.upsert(posts.get(i).post().id(), vectors[i]);
  }
}
