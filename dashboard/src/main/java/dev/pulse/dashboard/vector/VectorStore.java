package dev.pulse.dashboard.vector;

import java.util.List;
import java.util.Optional;

/**
 * Where post embeddings live for "posts like this". Point ids are post ids. The local run uses
 * {@link InMemoryVectorStore}; in a cluster the pipeline's Qdrant collection plays this part.
 */
public interface VectorStore {

  void upsert(String id, float[] vector);

  /** The k nearest posts to the given one (itself excluded), or empty when the post has no vector here. */
  Optional<List<Match>> similarTo(String id, int k);

  int size();

  record Match(String id, double similarity) {}
}
