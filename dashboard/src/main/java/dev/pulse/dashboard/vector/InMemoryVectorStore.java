package dev.pulse.dashboard.vector;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;

/**
 * Cosine similarity by brute force over a bounded set of unit vectors (oldest evicted first). 10,000 posts × 384
 * dims is a few million multiply-adds per query: milliseconds, no index needed at this size.
 */
public final class InMemoryVectorStore implements VectorStore {
  private final LinkedHashMap<String, float[]> vectors;

  public InMemoryVectorStore(int capacity) {
    this.vectors = new LinkedHashMap<>(1024, 0.75f, false) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, float[]> eldest) {
        return size() > capacity;
      }
    };
  }

  @Override
  public synchronized void upsert(String id, float[] vector) {
    vectors.remove(id);
    vectors.put(id, normalized(vector));
  }

  @Override
  public Optional<List<Match>> similarTo(String id, int k) {
    List<Map.Entry<String, float[]>> all;
    float[] query;
    synchronized (this) {
      query = vectors.get(id);
      if (query == null) {
        return Optional.empty();
      }
      all = new ArrayList<>(vectors.entrySet());
    }
    PriorityQueue<Match> best = new PriorityQueue<>(k + 1, (a, b) -> Double.compare(a.similarity(), b.similarity()));
    for (Map.Entry<String, float[]> e : all) {
      if (e.getKey().equals(id)) {
        continue;
      }
      best.add(new Match(e.getKey(), dot(query, e.getValue())));
      if (best.size() > k) {
        best.poll();
      }
    }
    List<Match> out = new ArrayList<>(best);
    out.sort((a, b) -> Double.compare(b.similarity(), a.similarity()));
    return Optional.of(out);
  }

  @Override
  public synchronized int size() {
    return vectors.size();
  }

  private static double dot(float[] a, float[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += a[i] * b[i];
    }
    return s;
  }

  private static float[] normalized(float[] v) {
    double norm = 0;
    for (float x : v) {
      norm += x * x;
    }
    norm = Math.sqrt(norm);
    float[] out = new float[v.length];
    for (int i = 0; i < v.length; i++) {
      out[i] = norm == 0 ? 0 : (float) (v[i] / norm);
    }
    return out;
  }
}
