package dev.pulse.scoring.learned;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.huggingface.tokenizers.jni.CharSpan;
import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.pulse.scoring.lexicon.TextNormalizer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;

/**
 * all-MiniLM-L6-v2 (LangChain4j's ONNX artifacts) as 384-dim vectors, as {@link EmbeddingSettings} say: int8 or
 * fp32, texts cut at a number of word pieces, repeated texts served from a cache. One model per settings per JVM:
 * the ONNX session is thread-safe and costs ~100 MB, so executors share it.
 */
public final class Embedder {
  public static final int DIMENSION = 384;

  private static final Map<EmbeddingSettings, Embedder> SHARED = new ConcurrentHashMap<>();
  private final EmbeddingSettings settings;
  private final EmbeddingModel model;
  private final HuggingFaceTokenizer tokenizer;
  private final Map<String, float[]> cache;
  private final AtomicLong hits = new AtomicLong();
  private final AtomicLong misses = new AtomicLong();
  private final AtomicLong truncated = new AtomicLong();

  private Embedder(EmbeddingSettings settings, Executor executor) {
    this.settings = settings;
    this.model = new MiniLmModel(settings.quantized(), 1, executor);
    this.tokenizer = tokenizer(settings.quantized() ? "/all-minilm-l6-v2-q-tokenizer.json"
        : "/all-minilm-l6-v2-tokenizer.json");
    this.cache = settings.cacheSize() == 0 ? null : new LinkedHashMap<>(1024, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, float[]> eldest) {
        return size() > settings.cacheSize();
      }
    };
  }

  /** The default model (int8, 256 tokens, cache of 10,000 texts): what the shipped scorer heads were trained on. */
  public static Embedder shared() {
    return shared(EmbeddingSettings.DEFAULT);
  }

  public static Embedder shared(EmbeddingSettings settings) {
    return SHARED.computeIfAbsent(settings, s -> new Embedder(s, null));
  }

  /** A model whose batches run on the caller's thread only (for one-core benchmarks). */
  public static Embedder singleThreaded() {
    return new Embedder(EmbeddingSettings.DEFAULT, Runnable::run);
  }

  /** A private instance (benchmarks that must not share a warm cache). */
  public static Embedder create(EmbeddingSettings settings) {
    return new Embedder(settings, null);
  }

  public EmbeddingSettings settings() {
    return settings;
  }

  public float[][] embed(List<String> texts) {
    float[][] out = new float[texts.size()][];
    List<String> todo = new ArrayList<>();
    List<Integer> where = new ArrayList<>();
    for (int i = 0; i < texts.size(); i++) {
      String n = TextNormalizer.normalize(texts.get(i));
      String key = n.isEmpty() ? "." : truncate(n);
      float[] hit = cached(key);
      if (hit != null) {
        out[i] = hit;
      } else {
        todo.add(key);
        where.add(i);
      }
    }
    if (!todo.isEmpty()) {
      List<TextSegment> segments = new ArrayList<>(todo.size());
      for (String t : todo) segments.add(TextSegment.from(t));
      List<Embedding> embeddings = model.embedAll(segments).content();
      for (int j = 0; j < todo.size(); j++) {
        float[] v = embeddings.get(j).vector();
        out[where.get(j)] = v;
        remember(todo.get(j), v);
      }
    }
    return out;
  }

  /** The text cut after {@code maxTokens} word pieces, counting [CLS] and [SEP] as the model does. */
  String truncate(String text) {
    // A word piece has at least one character, so a text this short cannot be over the limit.
    if (text.length() <= settings.maxTokens() - 2) return text;
    Encoding e = tokenizer.encode(text, false, false);
    CharSpan[] spans = e.getCharTokenSpans();
    int keep = settings.maxTokens() - 2;
    if (spans.length <= keep) return text;
    CharSpan last = spans[keep - 1];
    if (last == null) return text;
    truncated.incrementAndGet();
    return text.substring(0, Math.min(text.length(), last.getEnd()));
  }

  private float[] cached(String key) {
    if (cache == null) return null;
    float[] v;
    synchronized (cache) {
      v = cache.get(key);
    }
    if (v == null) {
      misses.incrementAndGet();
      return null;
    }
    hits.incrementAndGet();
    return v.clone();
  }

  private void remember(String key, float[] v) {
    if (cache == null) return;
    synchronized (cache) {
      cache.put(key, v.clone());
    }
  }

  public long cacheHits() {
    return hits.get();
  }

  public long cacheMisses() {
    return misses.get();
  }

  public long truncatedTexts() {
    return truncated.get();
  }

  private static HuggingFaceTokenizer tokenizer(String resource) {
    try (InputStream in = Embedder.class.getResourceAsStream(resource)) {
      if (in == null) throw new IllegalStateException("tokenizer " + resource + " is not on the classpath");
      return HuggingFaceTokenizer.newInstance(in, Map.of("addSpecialTokens", "false", "truncation", "false",
          "padding", "false"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
