package dev.pulse.dashboard.vector;

import dev.pulse.scoring.learned.Embedder;
import java.util.List;
import java.util.Locale;

/** Turns texts into vectors for the vector store. */
public interface TextEmbedder {
  float[][] embed(List<String> texts);

  /** all-MiniLM-L6-v2 (int8 ONNX, in the JVM): the same vectors the pipeline upserts to Qdrant. */
  static TextEmbedder miniLm() {
    return texts -> Embedder.shared().embed(texts);
  }

  /** Hashed bag of words: no model to load, for tests and small machines; similar words, similar vectors. */
  static TextEmbedder hashing() {
    return texts -> {
      float[][] out = new float[texts.size()][];
      for (int i = 0; i < out.length; i++) {
        float[] v = new float[Embedder.DIMENSION];
        for (String w : texts.get(i).toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}]+")) {
          if (w.length() > 2) {
            v[Math.floorMod(w.hashCode(), v.length)] += 1;
          }
        }
        out[i] = v;
      }
      return out;
    };
  }

  static TextEmbedder named(String name) {
    return switch (name.toLowerCase(Locale.ROOT)) {
      case "minilm" -> miniLm();
      case "hashing" -> hashing();
      default -> throw new IllegalArgumentException(
          "pulse.dashboard.vectors.embedder '" + name + "': expected minilm or hashing");
    };
  }
}
