package dev.pulse.scoring.learned;

import java.io.Serializable;
import java.util.Locale;

/**
 * How posts are embedded with all-MiniLM-L6-v2 (the vectors the learned tier scores and Qdrant stores). The
 * embedding bounds a pipeline's rate (it costs milliseconds a post, everything else microseconds), so its cost is a
 * setting:
 *
 * @param model {@code int8} (LangChain4j's quantised ONNX, the default: about twice as fast; the shipped scorer heads
 *     were trained on its vectors) or {@code fp32} (the original weights: vectors closer to the published model's,
 *     for retrieval; the heads then score slightly different vectors than they were trained on)
 * @param maxTokens word pieces kept per post (the model's own limit is 256; longer texts, such as whole news
 *     articles, are cut there instead of being embedded in 510-token pieces and averaged, which costs a multiple)
 * @param cacheSize texts whose vectors are kept in memory, most recently used first (0 = no cache): reposts and
 *     retweets repeat texts, and a cached text costs nothing to embed again
 */
public record EmbeddingSettings(String model, int maxTokens, int cacheSize) implements Serializable {
  public static final EmbeddingSettings DEFAULT = new EmbeddingSettings("int8", 256, 10_000);

  public EmbeddingSettings {
    model = model == null ? "int8" : model.trim().toLowerCase(Locale.ROOT);
    if (!model.equals("int8") && !model.equals("fp32")) {
      throw new IllegalArgumentException("embedding model must be int8 or fp32: '" + model + "'");
    }
    if (maxTokens < 8 || maxTokens > 512) {
      throw new IllegalArgumentException("embedding maxTokens must be between 8 and 512: " + maxTokens);
    }
    if (cacheSize < 0) {
      throw new IllegalArgumentException("embedding cacheSize must be 0 (off) or more: " + cacheSize);
    }
  }

  public boolean quantized() {
    return model.equals("int8");
  }

  @Override
  public String toString() {
    return "MiniLM " + model + ", " + maxTokens + " tokens max, cache " + (cacheSize == 0 ? "off" : cacheSize + " texts");
  }
}
