package dev.pulse.scoring.learned;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.Serializable;

/**
 * Attention pooling over MiniLM's token states. Optionally each word piece's state {@code h_t} first goes through
 * a learned projection {@code u_t = relu(W h_t + b)} (a per-token layer: it can turn "not" + "good" in context into
 * a feature of its own); without one {@code u_t = h_t}. Each head is a learned query {@code q} and pools
 * {@code sum_t softmax_t(q . u_t) u_t}. Mean pooling (the vector Qdrant stores) weighs "not" and "the" like
 * "terrible"; a head trained with the classifier learns which pieces carry sentiment. It reads the same forward
 * pass the sentence vector comes from, so it costs a fraction of that pass. Immutable and thread-safe.
 */
public final class TokenAttention implements Serializable {
  private static final long serialVersionUID = 2L;
  final double[][] queries; // [heads][width]
  final float[][] projection; // [Embedder.DIMENSION][width], null: none (width = Embedder.DIMENSION)
  final float[] bias; // [width], null without a projection

  public TokenAttention(double[][] queries) {
    this(queries, null, null);
  }

  public TokenAttention(double[][] queries, float[][] projection, float[] bias) {
    this.queries = queries;
    this.projection = projection;
    this.bias = bias;
    for (double[] q : queries) {
      if (q.length != width()) throw new IllegalArgumentException("a query has " + q.length + " values, expected " + width());
    }
  }

  /** No heads: the head reads the fixed features only. */
  public static TokenAttention none() {
    return new TokenAttention(new double[0][]);
  }

  TokenAttention roundedToFloat() {
    return new TokenAttention(SoftmaxHead.round(queries), projection, bias);
  }

  public int heads() {
    return queries.length;
  }

  /** Length of one pooled vector: the projection's width, or 384 without one. */
  public int width() {
    return projection == null ? Embedder.DIMENSION : bias.length;
  }

  /** Output length: one pooled vector per head. */
  public int dimension() {
    return queries.length * width();
  }

  public float[] pool(float[][] tokens) {
    if (queries.length == 0) return new float[0];
    float[][] u = projection == null ? tokens : project(tokens, tokens.length, projection, bias, new float[tokens.length][bias.length]);
    int d = width();
    float[] out = new float[dimension()];
    double[] w = new double[tokens.length];
    for (int k = 0; k < queries.length; k++) {
      weights(queries[k], u, tokens.length, w);
      for (int t = 0; t < tokens.length; t++) {
        float[] row = u[t];
        float a = (float) w[t];
        for (int j = 0; j < d; j++) out[k * d + j] += a * row[j];
      }
    }
    return out;
  }

  /** {@code out[t] = relu(bias + sum_j tokens[t][j] * projection[j])} for the first {@code len} tokens. */
  public static float[][] project(float[][] tokens, int len, float[][] projection, float[] bias, float[][] out) {
    int p = bias.length;
    for (int t = 0; t < len; t++) {
      float[] h = tokens[t], o = out[t];
      System.arraycopy(bias, 0, o, 0, p);
      for (int j = 0; j < h.length; j++) {
        float x = h[j];
        float[] col = projection[j];
        for (int i = 0; i < p; i++) o[i] += x * col[i]; // axpy: the JIT vectorises it
      }
      for (int i = 0; i < p; i++) if (o[i] < 0) o[i] = 0;
    }
    return out;
  }

  /** Softmax over the first {@code len} tokens of {@code q . u_t}, into {@code out}. */
  public static void weights(double[] q, float[][] u, int len, double[] out) {
    double max = Double.NEGATIVE_INFINITY;
    for (int t = 0; t < len; t++) {
      double s = 0;
      float[] row = u[t];
      for (int j = 0; j < q.length; j++) s += q[j] * row[j];
      out[t] = s;
      max = Math.max(max, s);
    }
    double sum = 0;
    for (int t = 0; t < len; t++) sum += out[t] = Math.exp(out[t] - max);
    for (int t = 0; t < len; t++) out[t] /= sum;
  }

  // ---- binary (float32, big-endian): heads, projection width (0 = none), the projection and its bias, queries ----

  void write(DataOutputStream o) throws IOException {
    o.writeInt(queries.length);
    o.writeInt(projection == null ? 0 : bias.length);
    if (projection != null) {
      for (float[] col : projection) for (float v : col) o.writeFloat(v);
      for (float v : bias) o.writeFloat(v);
    }
    for (double[] q : queries) for (double v : q) o.writeFloat((float) v);
  }

  static TokenAttention read(DataInputStream i) throws IOException {
    int heads = i.readInt(), p = i.readInt();
    float[][] projection = null;
    float[] bias = null;
    if (p > 0) {
      projection = new float[Embedder.DIMENSION][p];
      for (float[] col : projection) for (int k = 0; k < p; k++) col[k] = i.readFloat();
      bias = new float[p];
      for (int k = 0; k < p; k++) bias[k] = i.readFloat();
    }
    int width = p > 0 ? p : Embedder.DIMENSION;
    double[][] queries = new double[heads][width];
    for (double[] q : queries) for (int k = 0; k < width; k++) q[k] = i.readFloat();
    return new TokenAttention(queries, projection, bias);
  }
}
