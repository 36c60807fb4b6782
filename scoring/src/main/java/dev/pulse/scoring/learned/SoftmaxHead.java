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
 * A trained classifier head: standardise the features, an optional ReLU hidden layer, a 3-way softmax, and a
 * temperature that calibrates the probabilities (fitted on the validation split). Immutable; stored as text
 * so a diff of the shipped weights stays readable.
 */
public final class SoftmaxHead implements Serializable {
  private static final long serialVersionUID = 1L;
  public static final int CLASSES = 3;

  final double[] mean;
  final double[] scale;
  final double[][] hiddenW; // [hidden][dim], empty when the head is linear
  final double[] hiddenB;
  final double[][] outW; // [CLASSES][hidden or dim]
  final double[] outB;
  final double temperature;
  // The standardisation folded into the first layer: a linear head's logits = foldedB + foldedW . x, a hidden
  // layer's pre-activations = foldedHb + foldedHw . x, with no temporary array for the standardised input.
  private final double[][] foldedW;
  private final double[] foldedB;
  private final double[][] foldedHw;
  private final double[] foldedHb;

  public SoftmaxHead(double[] mean, double[] scale, double[][] hiddenW, double[] hiddenB, double[][] outW,
      double[] outB, double temperature) {
    this.mean = mean;
    this.scale = scale;
    this.hiddenW = hiddenW;
    this.hiddenB = hiddenB;
    this.outW = outW;
    this.outB = outB;
    this.temperature = temperature;
    if (hiddenW.length == 0) {
      foldedW = new double[CLASSES][mean.length];
      foldedB = outB.clone();
      for (int c = 0; c < CLASSES; c++) {
        for (int i = 0; i < mean.length; i++) {
          foldedW[c][i] = outW[c][i] * scale[i];
          foldedB[c] -= outW[c][i] * scale[i] * mean[i];
        }
      }
      foldedHw = null;
      foldedHb = null;
    } else {
      foldedW = null;
      foldedB = null;
      foldedHw = new double[hiddenW.length][mean.length];
      foldedHb = hiddenB.clone();
      for (int j = 0; j < hiddenW.length; j++) {
        for (int i = 0; i < mean.length; i++) {
          foldedHw[j][i] = hiddenW[j][i] * scale[i];
          foldedHb[j] -= hiddenW[j][i] * scale[i] * mean[i];
        }
      }
    }
  }

  public int dimension() {
    return mean.length;
  }

  public double temperature() {
    return temperature;
  }

  public SoftmaxHead withTemperature(double t) {
    return new SoftmaxHead(mean, scale, hiddenW, hiddenB, outW, outB, t);
  }

  /** Calibrated class probabilities for a raw feature vector. */
  public double[] probabilities(double[] x) {
    return softmax(logits(x), temperature);
  }

  /** Uncalibrated logits (temperature 1). */
  public double[] logits(double[] raw) {
    if (raw.length != mean.length) {
      throw new IllegalArgumentException("expected " + mean.length + " features, got " + raw.length);
    }
    if (foldedW != null) {
      return new double[] {foldedB[0] + dot(foldedW[0], raw), foldedB[1] + dot(foldedW[1], raw),
          foldedB[2] + dot(foldedW[2], raw)};
    }
    double[] h = new double[hiddenW.length];
    for (int j = 0; j < h.length; j++) h[j] = Math.max(0, foldedHb[j] + dot4(foldedHw[j], raw));
    double[] z = new double[CLASSES];
    for (int c = 0; c < CLASSES; c++) z[c] = outB[c] + dot(outW[c], h);
    return z;
  }

  /**
   * A dot product summed in four interleaved partial sums: the JIT keeps floating-point additions in order, so one
   * running sum waits on each add; four let the CPU overlap them (the hidden layer is ~50k multiply-adds a post).
   */
  static double dot4(double[] w, double[] x) {
    double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
    int i = 0, n = x.length;
    for (; i + 3 < n; i += 4) {
      s0 += w[i] * x[i];
      s1 += w[i + 1] * x[i + 1];
      s2 += w[i + 2] * x[i + 2];
      s3 += w[i + 3] * x[i + 3];
    }
    for (; i < n; i++) s0 += w[i] * x[i];
    return (s0 + s1) + (s2 + s3);
  }

  public static double dot(double[] w, double[] x) {
    double s = 0;
    for (int i = 0; i < x.length; i++) s += w[i] * x[i];
    return s;
  }

  public static double[] softmax(double[] z, double temperature) {
    double max = Double.NEGATIVE_INFINITY;
    for (double v : z) max = Math.max(max, v / temperature);
    double[] p = new double[z.length];
    double sum = 0;
    for (int i = 0; i < z.length; i++) sum += p[i] = Math.exp(z[i] / temperature - max);
    for (int i = 0; i < z.length; i++) p[i] /= sum;
    return p;
  }

  /** The same head with every weight rounded to float32, as {@link #writeBinary} stores it. */
  SoftmaxHead roundedToFloat() {
    return new SoftmaxHead(round(mean), round(scale), round(hiddenW), round(hiddenB), round(outW), round(outB),
        temperature);
  }

  static double[] round(double[] v) {
    double[] r = new double[v.length];
    for (int i = 0; i < v.length; i++) r[i] = (float) v[i];
    return r;
  }

  static double[][] round(double[][] m) {
    double[][] r = new double[m.length][];
    for (int i = 0; i < m.length; i++) r[i] = round(m[i]);
    return r;
  }

  /** float32, big-endian: dimension, hidden units, temperature, mean, scale, hidden weights and biases, output. */
  void writeBinary(java.io.DataOutputStream o) throws IOException {
    o.writeInt(mean.length);
    o.writeInt(hiddenW.length);
    o.writeDouble(temperature);
    floats(o, mean);
    floats(o, scale);
    for (double[] row : hiddenW) floats(o, row);
    floats(o, hiddenB);
    for (double[] row : outW) floats(o, row);
    floats(o, outB);
  }

  static SoftmaxHead readBinary(java.io.DataInputStream i) throws IOException {
    int d = i.readInt(), h = i.readInt();
    double t = i.readDouble();
    double[] mean = floats(i, d), scale = floats(i, d);
    double[][] hw = new double[h][];
    for (int j = 0; j < h; j++) hw[j] = floats(i, d);
    double[] hb = floats(i, h);
    double[][] ow = new double[CLASSES][];
    for (int c = 0; c < CLASSES; c++) ow[c] = floats(i, h > 0 ? h : d);
    double[] ob = floats(i, CLASSES);
    return new SoftmaxHead(mean, scale, hw, hb, ow, ob, t);
  }

  private static void floats(java.io.DataOutputStream o, double[] v) throws IOException {
    for (double x : v) o.writeFloat((float) x);
  }

  private static double[] floats(java.io.DataInputStream i, int n) throws IOException {
    double[] v = new double[n];
    for (int k = 0; k < n; k++) v[k] = i.readFloat();
    return v;
  }

  // ---- text format: "key v1 v2 ..." lines; matrices as one line per row ----

  public void write(Writer out, String comment) throws IOException {
    out.write("# " + comment.replace("\n", "\n# ") + "\n");
    line(out, "temperature", new double[] {temperature});
    line(out, "mean", mean);
    line(out, "scale", scale);
    out.write("hidden " + hiddenW.length + "\n");
    for (int j = 0; j < hiddenW.length; j++) line(out, "hw", hiddenW[j]);
    if (hiddenW.length > 0) line(out, "hb", hiddenB);
    for (double[] row : outW) line(out, "ow", row);
    line(out, "ob", outB);
  }

  private static void line(Writer out, String key, double[] v) throws IOException {
    StringBuilder b = new StringBuilder(key);
    for (double d : v) b.append(' ').append(String.format(Locale.ROOT, "%.6g", d));
    out.write(b.append('\n').toString());
  }

  public static SoftmaxHead read(InputStream in) {
    try {
      BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
      double t = 1;
      double[] mean = null, scale = null, hb = new double[0], ob = null;
      List<double[]> hw = new ArrayList<>(), ow = new ArrayList<>();
      for (String line; (line = r.readLine()) != null; ) {
        if (line.isBlank() || line.startsWith("#")) continue;
        String[] f = line.trim().split(" ");
        double[] v = new double[f.length - 1];
        for (int i = 1; i < f.length; i++) v[i - 1] = Double.parseDouble(f[i]);
        switch (f[0]) {
          case "temperature" -> t = v[0];
          case "mean" -> mean = v;
          case "scale" -> scale = v;
          case "hidden" -> { }
          case "hw" -> hw.add(v);
          case "hb" -> hb = v;
          case "ow" -> ow.add(v);
          case "ob" -> ob = v;
          default -> throw new IllegalArgumentException("unknown key " + f[0]);
        }
      }
      if (mean == null || scale == null || ob == null || ow.size() != CLASSES) {
        throw new IllegalArgumentException("incomplete head file");
      }
      return new SoftmaxHead(mean, scale, hw.toArray(double[][]::new), hb, ow.toArray(double[][]::new), ob, t);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static SoftmaxHead fromResource(String resource) {
    return ShippedResource.load(resource, "./pulse train-scorer", SoftmaxHead::read);
  }
}
