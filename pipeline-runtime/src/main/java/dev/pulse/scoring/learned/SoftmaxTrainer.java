package dev.pulse.scoring.learned;

import java.util.Random;
import java.util.function.Consumer;

/**
 * Trains a {@link SoftmaxHead} by mini-batch Adam on cross-entropy with L2 and class-balanced weights (each
 * class weighs the same in total, which is what macro-averaged recall rewards and makes the head indifferent
 * to the class priors, which differ between TweetEval's train and test splits). Deterministic for a seed.
 */
public final class SoftmaxTrainer {

  /** @param hidden ReLU units (0 = multinomial logistic regression) */
  public record Options(int hidden, double l2, int epochs, double learningRate, int batch, long seed) {}

  private SoftmaxTrainer() {}

  public static SoftmaxHead train(double[][] x, int[] y, Options o, Consumer<String> progress) {
    int n = x.length, d = x[0].length, k = SoftmaxHead.CLASSES, h = o.hidden();
    double[] mean = new double[d], scale = new double[d];
    for (double[] row : x) for (int i = 0; i < d; i++) mean[i] += row[i] / n;
    for (double[] row : x) for (int i = 0; i < d; i++) scale[i] += (row[i] - mean[i]) * (row[i] - mean[i]) / n;
    for (int i = 0; i < d; i++) scale[i] = 1 / Math.sqrt(scale[i] + 1e-8);

    int[] counts = new int[k];
    for (int c : y) counts[c]++;
    double[] classWeight = new double[k];
    for (int c = 0; c < k; c++) classWeight[c] = counts[c] == 0 ? 0 : (double) n / (k * counts[c]);

    Random rnd = new Random(o.seed());
    int in = h > 0 ? h : d;
    double[][] hw = new double[h][d];
    double[] hb = new double[h];
    double[][] ow = new double[k][in];
    double[] ob = new double[k];
    for (double[] row : hw) for (int i = 0; i < d; i++) row[i] = rnd.nextGaussian() * Math.sqrt(2.0 / d);
    if (h > 0) for (double[] row : ow) for (int i = 0; i < in; i++) row[i] = rnd.nextGaussian() * Math.sqrt(1.0 / h);

    Adam adamHw = new Adam(h * d), adamHb = new Adam(h), adamOw = new Adam(k * in), adamOb = new Adam(k);
    double[][] xs = new double[n][];
    for (int r = 0; r < n; r++) {
      xs[r] = new double[d];
      for (int i = 0; i < d; i++) xs[r][i] = (x[r][i] - mean[i]) * scale[i];
    }
    int[] order = new int[n];
    for (int i = 0; i < n; i++) order[i] = i;

    double[][] gHw = new double[h][d];
    double[] gHb = new double[h];
    double[][] gOw = new double[k][in];
    double[] gOb = new double[k];
    double[] hid = new double[in];
    double[] z = new double[k];
    double[] dh = new double[in];
    for (int epoch = 1; epoch <= o.epochs(); epoch++) {
      shuffle(order, rnd);
      double loss = 0;
      // Step size decays linearly to a tenth over the run, which settles the last epochs.
      double lr = o.learningRate() * (1 - 0.9 * (epoch - 1) / Math.max(1, o.epochs() - 1));
      for (int start = 0; start < n; start += o.batch()) {
        int end = Math.min(n, start + o.batch());
        for (double[] row : gHw) java.util.Arrays.fill(row, 0);
        java.util.Arrays.fill(gHb, 0);
        for (double[] row : gOw) java.util.Arrays.fill(row, 0);
        java.util.Arrays.fill(gOb, 0);
        double wsum = 0;
        for (int b = start; b < end; b++) {
          int r = order[b];
          double[] xi = xs[r];
          if (h > 0) {
            for (int j = 0; j < h; j++) hid[j] = Math.max(0, hb[j] + SoftmaxHead.dot(hw[j], xi));
          } else {
            System.arraycopy(xi, 0, hid, 0, d);
          }
          for (int c = 0; c < k; c++) z[c] = ob[c] + SoftmaxHead.dot(ow[c], hid);
          double[] p = SoftmaxHead.softmax(z, 1);
          double w = classWeight[y[r]];
          wsum += w;
          loss -= w * Math.log(Math.max(1e-12, p[y[r]]));
          if (h > 0) java.util.Arrays.fill(dh, 0, h, 0);
          for (int c = 0; c < k; c++) {
            double g = w * (p[c] - (c == y[r] ? 1 : 0));
            gOb[c] += g;
            double[] go = gOw[c], wo = ow[c];
            for (int i = 0; i < in; i++) go[i] += g * hid[i];
            if (h > 0) for (int j = 0; j < h; j++) dh[j] += g * wo[j];
          }
          if (h > 0) {
            for (int j = 0; j < h; j++) {
              if (hid[j] <= 0) continue;
              gHb[j] += dh[j];
              double[] gh = gHw[j];
              double dj = dh[j];
              for (int i = 0; i < d; i++) gh[i] += dj * xi[i];
            }
          }
        }
        double inv = 1 / wsum;
        adamOb.step(ob, 0, gOb, inv, 0, lr);
        for (int c = 0; c < k; c++) adamOw.step(ow[c], c * in, gOw[c], inv, o.l2(), lr);
        for (int j = 0; j < h; j++) adamHw.step(hw[j], j * d, gHw[j], inv, o.l2(), lr);
        if (h > 0) adamHb.step(hb, 0, gHb, inv, 0, lr);
      }
      if (progress != null) {
        progress.accept(String.format(java.util.Locale.ROOT, "epoch %d/%d  weighted train loss %.4f", epoch,
            o.epochs(), loss / n));
      }
    }
    return new SoftmaxHead(mean, scale, hw, hb, ow, ob, 1.0);
  }

  private static void shuffle(int[] a, Random rnd) {
    for (int i = a.length - 1; i > 0; i--) {
      int j = rnd.nextInt(i + 1);
      int t = a[i];
      a[i] = a[j];
      a[j] = t;
    }
  }

  /** Adam state for one parameter block; parameters are addressed by an offset into the flat moments. */
  private static final class Adam {
    private final double[] m, v;
    private final int[] t;

    Adam(int size) {
      m = new double[size];
      v = new double[size];
      t = new int[Math.max(1, size)];
    }

    void step(double[] param, int offset, double[] grad, double gradScale, double l2, double lr) {
      int step = ++t[offset % t.length];
      double b1 = 0.9, b2 = 0.999;
      double c1 = 1 - Math.pow(b1, step), c2 = 1 - Math.pow(b2, step);
      for (int i = 0; i < param.length; i++) {
        double g = grad[i] * gradScale + l2 * param[i];
        int at = offset + i;
        m[at] = b1 * m[at] + (1 - b1) * g;
        v[at] = b2 * v[at] + (1 - b2) * g * g;
        param[i] -= lr * (m[at] / c1) / (Math.sqrt(v[at] / c2) + 1e-8);
      }
    }
  }
}
