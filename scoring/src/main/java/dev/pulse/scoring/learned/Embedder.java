package dev.pulse.scoring.learned;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.huggingface.tokenizers.jni.CharSpan;
import dev.pulse.scoring.lexicon.TextNormalizer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;
import java.util.function.Supplier;

/**
 * all-MiniLM-L6-v2 (LangChain4j's ONNX artifacts) as 384-dim vectors, as {@link EmbeddingSettings} say: int8 or
 * fp32, texts cut at a number of word pieces, repeated texts served from a cache. From the same forward pass it
 * also pools the token states with the light scorer's {@link TokenAttention}. One model per settings per JVM: the
 * ONNX session is thread-safe and costs ~100 MB, so executors share it. A batch is spread over a pool of one
 * thread per core, each call running the model on one thread.
 */
public final class Embedder {
  public static final int DIMENSION = 384;

  /**
   * A post's sentence vector (what Qdrant stores), its attention-pooled token states (what the scorer's heads read;
   * null from {@link #embed}) and the fine-tuned encoder's logits (a second forward pass, through the model of
   * {@link EncoderOverlay}; null unless {@link #encodeTuned} computed them).
   */
  public record PostVectors(float[] embedding, float[] attended, double[] tuned) {
    public PostVectors(float[] embedding, float[] attended) {
      this(embedding, attended, null);
    }
  }

  /** The fine-tuned model and its head; {@code sameWords}: it reads the word pieces of {@link #model}. */
  private record TunedPass(MiniLmEncoder model, TunedHead head, boolean sameWords) {}

  /** What a caller needs of a post; each level includes the ones before it. */
  private enum Need { EMBEDDING, POOLED, TUNED }

  /** A post's sentence vector and all its token states (for training the attention). */
  public record TokenVectors(float[] embedding, float[][] tokens) {}

  private static final Map<EmbeddingSettings, Embedder> SHARED = new ConcurrentHashMap<>();
  private static final int POOL_THREADS = Runtime.getRuntime().availableProcessors();
  private static final ExecutorService POOL = Executors.newFixedThreadPool(POOL_THREADS, r -> {
    Thread t = new Thread(r, "pulse-minilm");
    t.setDaemon(true);
    return t;
  });
  private final EmbeddingSettings settings;
  private final MiniLmEncoder model;
  private final TokenPooling attention;
  private final Supplier<EncoderOverlay> overlay;
  private volatile TunedPass tunedPass; // built on first use: a second model that the fast tier never needs
  private final Executor executor;
  private final HuggingFaceTokenizer tokenizer;
  private final Map<String, PostVectors> cache;
  private final AtomicLong hits = new AtomicLong();
  private final AtomicLong misses = new AtomicLong();
  private final AtomicLong truncated = new AtomicLong();

  private Embedder(EmbeddingSettings settings, TokenPooling attention, Executor executor) {
    this(settings, attention, executor, EncoderOverlay::shipped);
  }

  private Embedder(EmbeddingSettings settings, TokenPooling attention, Executor executor,
      Supplier<EncoderOverlay> overlay) {
    this.settings = settings;
    this.overlay = overlay;
    this.model = new MiniLmEncoder(settings.quantized());
    this.attention = attention == null ? TokenPooling.none() : attention;
    this.executor = executor;
    this.tokenizer = tokenizer(settings.quantized() ? "/all-minilm-l6-v2-q-tokenizer.json"
        : "/all-minilm-l6-v2-tokenizer.json");
    this.cache = settings.cacheSize() == 0 ? null : new LinkedHashMap<>(1024, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, PostVectors> eldest) {
        return size() > settings.cacheSize();
      }
    };
  }

  /** The default model (int8, 256 tokens, cache of 10,000 texts): what the shipped scorer heads were trained on. */
  public static Embedder shared() {
    return shared(EmbeddingSettings.DEFAULT);
  }

  /** The model for these settings, pooling with the shipped attention, one per JVM. */
  public static Embedder shared(EmbeddingSettings settings) {
    return SHARED.computeIfAbsent(settings, s -> new Embedder(s, LightHeads.shipped().pooling(), POOL));
  }

  /** A model whose batches run on the caller's thread only (for one-core benchmarks). */
  public static Embedder singleThreaded() {
    return new Embedder(EmbeddingSettings.DEFAULT, LightHeads.shipped().pooling(), Runnable::run);
  }

  /** A private instance with the shipped attention (benchmarks that must not share a warm cache). */
  public static Embedder create(EmbeddingSettings settings) {
    return create(settings, LightHeads.shipped().pooling());
  }

  /** A private instance pooling with {@code attention} (null: none, as when training it). */
  public static Embedder create(EmbeddingSettings settings, TokenPooling attention) {
    return new Embedder(settings, attention, POOL);
  }

  /** A private instance whose tuned pass runs the given overlay instead of the shipped one (for fitting its mix). */
  public static Embedder create(EmbeddingSettings settings, TokenPooling attention, EncoderOverlay overlay) {
    return new Embedder(settings, attention, POOL, () -> overlay);
  }

  public EmbeddingSettings settings() {
    return settings;
  }

  /**
   * Sentence vectors, for the vector store. Skips the attention pooling, which only the scorer reads; a text cached
   * this way is pooled again if {@link #encode} asks for it.
   */
  public float[][] embed(List<String> texts) {
    List<PostVectors> v = vectors(texts, Need.EMBEDDING);
    float[][] out = new float[v.size()][];
    for (int i = 0; i < out.length; i++) out[i] = v.get(i).embedding();
    return out;
  }

  /** Sentence vectors and attention-pooled token states, one forward pass per text not in the cache. */
  public List<PostVectors> encode(List<String> texts) {
    return vectors(texts, Need.POOLED);
  }

  /**
   * What {@link #encode} gives plus the fine-tuned encoder's logits: two forward passes per text not in the cache
   * (LangChain4j's MiniLM, whose vectors Qdrant keeps, and the fine-tuned encoder), so under half the posts/s.
   */
  public List<PostVectors> encodeTuned(List<String> texts) {
    return vectors(texts, Need.TUNED);
  }

  private List<PostVectors> vectors(List<String> texts, Need need) {
    PostVectors[] out = new PostVectors[texts.size()];
    List<String> todo = new ArrayList<>();
    List<Integer> where = new ArrayList<>();
    for (int i = 0; i < texts.size(); i++) {
      String key = key(texts.get(i));
      PostVectors hit = cached(key, need);
      if (hit != null) {
        out[i] = hit;
      } else {
        todo.add(key);
        where.add(i);
      }
    }
    TunedPass tuned = need == Need.TUNED && !todo.isEmpty() ? tunedPass() : null;
    PostVectors[] fresh = parallel(todo.size(), PostVectors[]::new, j -> {
      Encoding words = model.encode(todo.get(j));
      float[][] tokens = model.tokenStates(words);
      double[] z = null;
      if (tuned != null) {
        Encoding tunedWords = tuned.sameWords() ? words : tuned.model().encode(todo.get(j));
        z = tuned.head().logits(tuned.model().tokenStates(tunedWords));
      }
      return new PostVectors(MiniLmEncoder.meanPooled(tokens), need == Need.EMBEDDING ? null : attention.pool(tokens), z);
    });
    for (int j = 0; j < fresh.length; j++) {
      out[where.get(j)] = fresh[j];
      remember(todo.get(j), fresh[j]);
    }
    return List.of(out);
  }

  private TunedPass tunedPass() {
    TunedPass t = tunedPass;
    if (t == null) {
      synchronized (this) {
        t = tunedPass;
        if (t == null) {
          EncoderOverlay o = overlay.get(); // dropped once the model is built: only its head is kept
          MiniLmEncoder m = new MiniLmEncoder(o);
          tunedPass = t = new TunedPass(m, o.head(), m.readsTheSameWordPieces(model));
        }
      }
    }
    return t;
  }

  /** Sentence vectors and every token state, bypassing the cache (training reads each text once). */
  public List<TokenVectors> encodeTokens(List<String> texts) {
    return List.of(parallel(texts.size(), TokenVectors[]::new, j -> {
      float[][] tokens = model.tokenStates(key(texts.get(j)));
      return new TokenVectors(MiniLmEncoder.meanPooled(tokens), tokens);
    }));
  }

  /** What the model reads for a post: the normalised text, cut at the token limit ("." for an empty one). */
  private String key(String text) {
    String n = TextNormalizer.normalize(text);
    return n.isEmpty() ? "." : truncate(n);
  }

  private <T> T[] parallel(int n, IntFunction<T[]> array, IntFunction<T> task) {
    T[] out = array.apply(n);
    if (n <= 1) {
      for (int j = 0; j < n; j++) out[j] = task.apply(j);
      return out;
    }
    List<CompletableFuture<Void>> parts = new ArrayList<>();
    int chunk = Math.max(1, (n + POOL_THREADS - 1) / POOL_THREADS);
    for (int from = 0; from < n; from += chunk) {
      int start = from, end = Math.min(n, from + chunk);
      parts.add(CompletableFuture.runAsync(() -> {
        for (int j = start; j < end; j++) out[j] = task.apply(j);
      }, executor));
    }
    CompletableFuture.allOf(parts.toArray(CompletableFuture[]::new)).join();
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

  /** A copy of the cached vectors, if the entry has what {@code need} asks for. */
  private PostVectors cached(String key, Need need) {
    if (cache == null) return null;
    PostVectors v;
    synchronized (cache) {
      v = cache.get(key);
    }
    if (v == null || level(v).compareTo(need) < 0) {
      misses.incrementAndGet();
      return null;
    }
    hits.incrementAndGet();
    return copy(v);
  }

  private void remember(String key, PostVectors v) {
    if (cache == null) return;
    synchronized (cache) {
      PostVectors old = cache.get(key);
      // An entry never replaces one that has more (an unpooled one a pooled one, say).
      if (old == null || level(v).compareTo(level(old)) >= 0) cache.put(key, copy(v));
    }
  }

  private static Need level(PostVectors v) {
    if (v.attended() == null) return Need.EMBEDDING;
    return v.tuned() == null ? Need.POOLED : Need.TUNED;
  }

  private static PostVectors copy(PostVectors v) {
    return new PostVectors(v.embedding().clone(), v.attended() == null ? null : v.attended().clone(),
        v.tuned() == null ? null : v.tuned().clone());
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
