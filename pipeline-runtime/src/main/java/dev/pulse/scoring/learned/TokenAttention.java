package dev.pulse.scoring.learned;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Attention pooling over MiniLM's token states: each head is a learned query vector {@code q}, and pools a post's
 * word pieces {@code h_t} as {@code sum_t softmax_t(q . h_t) h_t}. Mean pooling (the vector Qdrant stores) weighs
 * "not" and "the" like "terrible"; a head trained with the classifier learns which pieces carry sentiment. It reads
 * the same forward pass the sentence vector comes from, so it costs microseconds a post. Immutable and thread-safe;
 * shipped inside {@link LightHeads}, or as text, a line per head.
 */
public final class TokenAttention implements Serializable {
  private static final long serialVersionUID = 1L;
  final double[][] queries; // [heads][Embedder.DIMENSION]

  TokenAttention(double[][] queries) {
    this.queries = queries;
  }

  /** No heads: the head reads the fixed features only. */
  public static TokenAttention none() {
    return new TokenAttention(new double[0][]);
  }

  TokenAttention roundedToFloat() {
    return new TokenAttention(SoftmaxHead.round(queries));
  }

  public int heads() {
    return queries.length;
  }

  /** Output length: one pooled 384-dim vector per head. */
  public int dimension() {
    return queries.length * Embedder.DIMENSION;
  }

  public float[] pool(float[][] tokens) {
    int d = Embedder.DIMENSION;
    float[] out = new float[dimension()];
    double[] w = new double[tokens.length];
    for (int k = 0; k < queries.length; k++) {
      weights(queries[k], tokens, w);
      for (int t = 0; t < tokens.length; t++) {
        float[] row = tokens[t];
        float a = (float) w[t];
        for (int j = 0; j < d; j++) out[k * d + j] += a * row[j];
      }
    }
    return out;
  }

  /** Softmax over the tokens of {@code q . h_t}, into {@code out}. */
  static void weights(double[] q, float[][] tokens, double[] out) {
    double max = Double.NEGATIVE_INFINITY;
    for (int t = 0; t < tokens.length; t++) {
      double s = 0;
      float[] row = tokens[t];
      for (int j = 0; j < q.length; j++) s += q[j] * row[j];
      out[t] = s;
      max = Math.max(max, s);
    }
    double sum = 0;
    for (int t = 0; t < tokens.length; t++) sum += out[t] = Math.exp(out[t] - max);
    for (int t = 0; t < tokens.length; t++) out[t] /= sum;
  }

  public void write(Writer out, String comment) throws IOException {
    out.write("# " + comment.replace("\n", "\n# ") + "\n");
    for (double[] q : queries) {
      StringBuilder b = new StringBuilder("query");
      for (double v : q) b.append(' ').append(String.format(Locale.ROOT, "%.6g", v));
      out.write(b.append('\n').toString());
    }
  }

  public static TokenAttention read(InputStream in) {
    try {
      BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
      List<double[]> queries = new ArrayList<>();
      for (String line; (line = r.readLine()) != null; ) {
        if (line.isBlank() || line.startsWith("#")) continue;
        String[] f = line.trim().split(" ");
        if (!f[0].equals("query")) throw new IllegalArgumentException("unknown key " + f[0]);
        if (f.length - 1 != Embedder.DIMENSION) {
          throw new IllegalArgumentException("a query has " + (f.length - 1) + " values, expected " + Embedder.DIMENSION);
        }
        double[] q = new double[f.length - 1];
        for (int i = 1; i < f.length; i++) q[i - 1] = Double.parseDouble(f[i]);
        queries.add(q);
      }
      return new TokenAttention(queries.toArray(double[][]::new));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
