package dev.pulse.scoring.training;

import dev.pulse.scoring.learned.Embedder;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * MiniLM sentence vectors and token states of a list of texts, cached on disk under ~/.cache/pulse/scoring keyed
 * by the SHA-256 of the texts, because encoding ~50k tweets takes minutes on a laptop and training is re-run while
 * tuning. Vectors are kept as float32, token states as bfloat16 ({@link TokenStates}).
 */
public final class EmbeddingCache {
  private static final int VERSION = 2; // 1: vectors only
  private final Path dir;

  /** Sentence vectors and token states, one per text, in order. */
  public record Encoded(float[][] embeddings, TokenStates[] tokens) {}

  public EmbeddingCache(Path dir) {
    this.dir = dir;
  }

  public static EmbeddingCache inUserCache() {
    return new EmbeddingCache(Path.of(System.getProperty("user.home"), ".cache", "pulse", "scoring"));
  }

  public Encoded encode(List<String> texts, Embedder embedder, int batch, Consumer<String> progress)
      throws IOException {
    String model = embedder.settings().quantized() ? "minilm-l6-v2-q" : "minilm-l6-v2";
    Path file = dir.resolve(model + "-tokens-" + embedder.settings().maxTokens() + "-" + hash(texts) + ".bin");
    if (Files.isRegularFile(file)) {
      progress.accept("embeddings: reusing cache " + file);
      return read(file, texts.size());
    }
    float[][] vectors = new float[texts.size()][];
    TokenStates[] tokens = new TokenStates[texts.size()];
    long start = System.nanoTime();
    for (int from = 0; from < texts.size(); from += batch) {
      int to = Math.min(texts.size(), from + batch);
      List<Embedder.TokenVectors> part = embedder.encodeTokens(texts.subList(from, to));
      for (int j = 0; j < part.size(); j++) {
        vectors[from + j] = part.get(j).embedding();
        tokens[from + j] = TokenStates.of(part.get(j).tokens());
      }
      double s = (System.nanoTime() - start) / 1e9;
      progress.accept(String.format(Locale.ROOT, "embeddings: %d/%d (%.0f posts/s, %.0f s)", to, texts.size(), to / s, s));
    }
    Files.createDirectories(dir);
    Path tmp = Files.createTempFile(dir, "emb", ".tmp");
    try (DataOutputStream o = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 20))) {
      o.writeInt(VERSION);
      for (int i = 0; i < vectors.length; i++) {
        ByteBuffer b = ByteBuffer.allocate(4 * vectors[i].length + 2 * tokens[i].raw().length);
        b.asFloatBuffer().put(vectors[i]);
        b.position(4 * vectors[i].length);
        b.asShortBuffer().put(tokens[i].raw());
        o.writeInt(tokens[i].tokens());
        o.write(b.array());
      }
    }
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
    return new Encoded(vectors, tokens);
  }

  private static Encoded read(Path file, int n) throws IOException {
    int dim = Embedder.DIMENSION;
    float[][] vectors = new float[n][dim];
    TokenStates[] tokens = new TokenStates[n];
    try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 20))) {
      if (in.readInt() != VERSION) throw new IOException(file + ": not a version " + VERSION + " cache; delete it");
      for (int i = 0; i < n; i++) {
        int t = in.readInt();
        byte[] bytes = new byte[4 * dim + 2 * t * dim];
        in.readFully(bytes);
        ByteBuffer b = ByteBuffer.wrap(bytes);
        b.asFloatBuffer().get(vectors[i]);
        b.position(4 * dim);
        short[] raw = new short[t * dim];
        b.asShortBuffer().get(raw);
        tokens[i] = new TokenStates(raw, t);
      }
    }
    return new Encoded(vectors, tokens);
  }

  static String hash(List<String> texts) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      for (String t : texts) {
        md.update(t.getBytes(StandardCharsets.UTF_8));
        md.update((byte) 0);
      }
      return HexFormat.of().formatHex(md.digest()).substring(0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
