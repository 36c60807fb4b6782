package dev.pulse.scoring.learned;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Consumer;

/**
 * Embeddings of a list of texts, cached on disk under ~/.cache/pulse/scoring keyed by the SHA-256 of the
 * texts, because embedding ~50k tweets takes minutes on a laptop and training is re-run while tuning.
 */
public final class EmbeddingCache {
  private final Path dir;

  public EmbeddingCache(Path dir) {
    this.dir = dir;
  }

  public static EmbeddingCache inUserCache() {
    return new EmbeddingCache(Path.of(System.getProperty("user.home"), ".cache", "pulse", "scoring"));
  }

  public float[][] embed(List<String> texts, Embedder embedder, int batch, Consumer<String> progress)
      throws IOException {
    Path file = dir.resolve("minilm-l6-v2-q-" + hash(texts) + ".f32");
    if (Files.isRegularFile(file)) {
      progress.accept("embeddings: reusing cache " + file);
      return read(file, texts.size());
    }
    float[][] out = new float[texts.size()][];
    long start = System.nanoTime();
    for (int from = 0; from < texts.size(); from += batch) {
      int to = Math.min(texts.size(), from + batch);
      float[][] part = embedder.embed(texts.subList(from, to));
      System.arraycopy(part, 0, out, from, part.length);
      double s = (System.nanoTime() - start) / 1e9;
      progress.accept(String.format(java.util.Locale.ROOT, "embeddings: %d/%d (%.0f posts/s, %.0f s)", to,
          texts.size(), to / s, s));
    }
    Files.createDirectories(dir);
    Path tmp = Files.createTempFile(dir, "emb", ".tmp");
    try (DataOutputStream o = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(tmp)))) {
      for (float[] v : out) {
        o.writeInt(v.length);
        for (float f : v) o.writeFloat(f);
      }
    }
    Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    return out;
  }

  private static float[][] read(Path file, int n) throws IOException {
    float[][] out = new float[n][];
    try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
      for (int i = 0; i < n; i++) {
        out[i] = new float[in.readInt()];
        for (int j = 0; j < out[i].length; j++) out[i][j] = in.readFloat();
      }
    }
    return out;
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
