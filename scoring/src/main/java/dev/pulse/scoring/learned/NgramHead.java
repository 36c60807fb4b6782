package dev.pulse.scoring.learned;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * The n-gram half of the learned tier: a multinomial logistic regression over {@link NgramFeatures} (each of a
 * post's distinct buckets weighs {@code 1/sqrt(count)}), stored sparsely (only buckets seen in at least two
 * training tweets have weights; int16-quantised), plus how it is mixed with the embedding head:
 * {@code p = softmax((mix * embeddingLogits + (1 - mix) * ngramLogits) / temperature)}, with {@code mix} chosen
 * by validation macro-recall and {@code temperature} fitted on validation. Immutable and thread-safe.
 */
public final class NgramHead implements Serializable {
  private static final long serialVersionUID = 1L;
  private static final int MAGIC = 0x50554e47; // "PUNG"
  public static final int CLASSES = SoftmaxHead.CLASSES;

  final int bits;
  final int charMax; // 0: word n-grams only
  final int[] keys; // sorted bucket ids
  final short[] weights; // [keys.length * CLASSES], times scale
  final float scale;
  final double[] bias;
  final double mix;
  final double temperature;
  // The classpath resource this head was read from, if any: it then serialises as that name only (a Spark
  // executor reads the resource once per JVM) instead of its ~2 MB of weights.
  private final String resource;
  // Bucket -> position in keys (-1: no weight), built on first use: a lookup per n-gram instead of a binary search
  // over keys, which was the scorer's hottest Java frame in the Spark job. Derived state, so not serialised.
  private transient volatile int[] slots;

  NgramHead(int bits, int charMax, int[] keys, short[] weights, float scale, double[] bias, double mix,
      double temperature) {
    this(bits, charMax, keys, weights, scale, bias, mix, temperature, null);
  }

  private NgramHead(int bits, int charMax, int[] keys, short[] weights, float scale, double[] bias, double mix,
      double temperature, String resource) {
    this.resource = resource;
    this.bits = bits;
    this.charMax = charMax;
    this.keys = keys;
    this.weights = weights;
    this.scale = scale;
    this.bias = bias;
    this.mix = mix;
    this.temperature = temperature;
  }

  /** Quantises float weights ({@code [keys][CLASSES]}) to int16 with one scale. */
  public static NgramHead quantised(int bits, int charMax, int[] keys, double[][] w, double[] bias) {
    double max = 1e-12;
    for (double[] row : w) for (double v : row) max = Math.max(max, Math.abs(v));
    float scale = (float) (max / 32767);
    short[] q = new short[keys.length * CLASSES];
    for (int k = 0; k < keys.length; k++) {
      for (int c = 0; c < CLASSES; c++) q[k * CLASSES + c] = (short) Math.round(w[k][c] / scale);
    }
    return new NgramHead(bits, charMax, keys, q, scale, bias.clone(), 0, 1);
  }

  public NgramHead withMix(double mix, double temperature) {
    return new NgramHead(bits, charMax, keys, weights, scale, bias, mix, temperature);
  }

  public int bits() {
    return bits;
  }

  public int size() {
    return keys.length;
  }

  public double mix() {
    return mix;
  }

  public double temperature() {
    return temperature;
  }

  /** Uncalibrated logits of the n-gram model alone. */
  public double[] logits(String text) {
    return logits(NgramFeatures.buckets(text, bits, charMax));
  }

  double[] logits(int[] buckets) {
    double[] z = bias.clone();
    if (buckets.length == 0) return z;
    double norm = scale / Math.sqrt(buckets.length);
    int[] slot = slots();
    for (int b : buckets) {
      int k = b >= 0 && b < slot.length ? slot[b] : Arrays.binarySearch(keys, b);
      if (k < 0) continue;
      for (int c = 0; c < CLASSES; c++) z[c] += weights[k * CLASSES + c] * norm;
    }
    return z;
  }

  private int[] slots() {
    int[] s = slots;
    if (s == null) {
      s = new int[1 << bits];
      Arrays.fill(s, -1);
      for (int k = 0; k < keys.length; k++) {
        if (keys[k] >= 0 && keys[k] < s.length) s[keys[k]] = k;
      }
      slots = s;
    }
    return s;
  }

  /** The mixed logits (temperature 1) of the embedding head's logits and this model's. */
  public double[] mixedLogits(double[] embeddingLogits, String text) {
    return mixedLogits(embeddingLogits, logits(text), mix);
  }

  public static double[] mixedLogits(double[] embeddingLogits, double[] ngramLogits, double mix) {
    double[] z = new double[CLASSES];
    for (int c = 0; c < CLASSES; c++) z[c] = mix * embeddingLogits[c] + (1 - mix) * ngramLogits[c];
    return z;
  }

  /** Calibrated class probabilities of the combined learned tier. */
  public double[] probabilities(double[] embeddingLogits, String text) {
    return SoftmaxHead.softmax(mixedLogits(embeddingLogits, text), temperature);
  }

  // ---- binary format, gzipped, big-endian: magic, bits, charMax, mix, temperature, bias[3], scale, count,
  //      the keys as varint gaps, the int16 weights ----

  public void write(OutputStream out) throws IOException {
    GZIPOutputStream gz = new GZIPOutputStream(out); // no timestamp in Java's header: the bytes are reproducible
    DataOutputStream o = new DataOutputStream(gz);
    o.writeInt(MAGIC);
    o.writeInt(bits);
    o.writeInt(charMax);
    o.writeDouble(mix);
    o.writeDouble(temperature);
    for (double b : bias) o.writeDouble(b);
    o.writeFloat(scale);
    o.writeInt(keys.length);
    for (int k = 0, prev = -1; k < keys.length; prev = keys[k++]) writeVarint(o, keys[k] - prev); // ascending: gaps
    for (short w : weights) o.writeShort(w);
    o.flush();
    gz.finish();
  }

  public static NgramHead read(InputStream in) {
    try {
      DataInputStream i = new DataInputStream(new BufferedInputStream(new GZIPInputStream(in)));
      if (i.readInt() != MAGIC) throw new IllegalArgumentException("not an n-gram head");
      int bits = i.readInt();
      int charMax = i.readInt();
      double mix = i.readDouble(), t = i.readDouble();
      double[] bias = {i.readDouble(), i.readDouble(), i.readDouble()};
      float scale = i.readFloat();
      int n = i.readInt();
      int[] keys = new int[n];
      for (int k = 0, prev = -1; k < n; k++) prev = keys[k] = prev + readVarint(i);
      short[] w = new short[n * CLASSES];
      for (int k = 0; k < w.length; k++) w[k] = i.readShort();
      return new NgramHead(bits, charMax, keys, w, scale, bias, mix, t);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void writeVarint(DataOutputStream o, int v) throws IOException {
    while ((v & ~0x7f) != 0) {
      o.writeByte((v & 0x7f) | 0x80);
      v >>>= 7;
    }
    o.writeByte(v);
  }

  private static int readVarint(DataInputStream i) throws IOException {
    int v = 0;
    for (int shift = 0; ; shift += 7) {
      int b = i.readUnsignedByte();
      v |= (b & 0x7f) << shift;
      if ((b & 0x80) == 0) return v;
    }
  }

  private static final ConcurrentMap<String, NgramHead> FROM_RESOURCES = new ConcurrentHashMap<>();

  /** Reads a head from the classpath, once per JVM and resource. */
  public static NgramHead fromResource(String resource) {
    return FROM_RESOURCES.computeIfAbsent(resource, NgramHead::load);
  }

  private static NgramHead load(String resource) {
    NgramHead h = ShippedResource.load(resource, "./pulse train-scorer", NgramHead::read);
    return new NgramHead(h.bits, h.charMax, h.keys, h.weights, h.scale, h.bias, h.mix, h.temperature, resource);
  }

  private Object writeReplace() {
    return resource == null ? this : new ShippedResource(resource, NgramHead::fromResource);
  }
}
