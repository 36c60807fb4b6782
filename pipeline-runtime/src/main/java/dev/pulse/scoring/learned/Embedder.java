package dev.pulse.scoring.learned;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;
import dev.pulse.scoring.lexicon.TextNormalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;

/**
 * all-MiniLM-L6-v2 (int8-quantised ONNX, from LangChain4j's artifact) as 384-dim vectors. One model per JVM:
 * the ONNX session is thread-safe and costs ~100 MB, so executors share it.
 */
public final class Embedder {
  public static final int DIMENSION = 384;

  private static volatile Embedder shared;
  private final AllMiniLmL6V2QuantizedEmbeddingModel model;

  private Embedder(Executor executor) {
    this.model = executor == null
        ? new AllMiniLmL6V2QuantizedEmbeddingModel()
        : new AllMiniLmL6V2QuantizedEmbeddingModel(executor);
  }

  public static Embedder shared() {
    Embedder e = shared;
    if (e == null) {
      synchronized (Embedder.class) {
        e = shared;
        if (e == null) shared = e = new Embedder(null);
      }
    }
    return e;
  }

  /** A model whose batches run on the caller's thread only (for one-core benchmarks). */
  public static Embedder singleThreaded() {
    return new Embedder(Runnable::run);
  }

  public float[][] embed(List<String> texts) {
    List<TextSegment> segments = new ArrayList<>(texts.size());
    for (String t : texts) {
      String n = TextNormalizer.normalize(t);
      segments.add(TextSegment.from(n.isEmpty() ? "." : n));
    }
    List<Embedding> embeddings = model.embedAll(segments).content();
    float[][] out = new float[embeddings.size()][];
    for (int i = 0; i < out.length; i++) out[i] = embeddings.get(i).vector();
    return out;
  }
}
