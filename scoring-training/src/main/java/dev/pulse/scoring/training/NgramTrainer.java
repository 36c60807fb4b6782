package dev.pulse.scoring.training;

import dev.pulse.scoring.learned.NgramFeatures;
import dev.pulse.scoring.learned.NgramHead;
import dev.pulse.scoring.learned.SoftmaxHead;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.function.Consumer;

/**
 * Trains a {@link NgramHead}: multinomial logistic regression on the hashed n-grams by mini-batch Adam with L2
 * and class-balanced weights (like {@link SoftmaxTrainer}); buckets seen in fewer than {@code minCount} training
 * tweets get no weight. Deterministic for a seed.
 */
public final class NgramTrainer {

  public record Options(int bits, int charMax, int minCount, double l2, int epochs, double learningRate, int batch, long seed) {}

  private NgramTrainer() {}

  public static NgramHead train(List<String> texts, int[] y, Options o, Consumer<String> progress) {
    int n = texts.size(), k = NgramHead.CLASSES;
    int[][] buckets = new int[n][];
    int[] df = new int[1 << o.bits()];
    for (int r = 0; r < n; r++) {
      buckets[r] = NgramFeatures.buckets(texts.get(r), o.bits(), o.charMax());
      for (int b : buckets[r]) df[b]++;
    }
    int kept = 0;
    for (int c : df) if (c >= o.minCount()) kept++;
    int[] keys = new int[kept];
    int[] compact = new int[df.length];
    Arrays.fill(compact, -1);
    for (int b = 0, j = 0; b < df.length; b++) {
      if (df[b] >= o.minCount()) {
        keys[j] = b;
        compact[b] = j++;
      }
    }
    int[][] idx = new int[n][];
    double[] norm = new double[n];
    for (int r = 0; r < n; r++) {
      norm[r] = buckets[r].length == 0 ? 0 : 1 / Math.sqrt(buckets[r].length);
      idx[r] = Arrays.stream(buckets[r]).map(b -> compact[b]).filter(j -> j >= 0).toArray();
    }
    int[] counts = new int[k];
    for (int c : y) counts[c]++;
    double[] classWeight = new double[k];
    for (int c = 0; c < k; c++) classWeight[c] = counts[c] == 0 ? 0 : (double) n / (k * counts[c]);

    double[] w = new double[kept * k], m = new double[w.length], v = new double[w.length], g = new double[w.length];
    double[] bias = new double[k], mb = new double[k], vb = new double[k], gb = new double[k];
    Random rnd = new Random(o.seed());
    int[] order = new int[n];
    for (int i = 0; i < n; i++) order[i] = i;
    int step = 0;
    double[] z = new double[k];
    for (int epoch = 1; epoch <= o.epochs(); epoch++) {
      for (int i = n - 1; i > 0; i--) {
        int j = rnd.nextInt(i + 1);
        int t = order[i];
        order[i] = order[j];
        order[j] = t;
      }
      double lr = o.learningRate() * (1 - 0.9 * (epoch - 1) / Math.max(1, o.epochs() - 1));
      double loss = 0;
      for (int start = 0; start < n; start += o.batch()) {
        int end = Math.min(n, start + o.batch());
        Arrays.fill(g, 0);
        Arrays.fill(gb, 0);
        double wsum = 0;
        for (int b = start; b < end; b++) {
          int r = order[b];
          for (int c = 0; c < k; c++) {
            double s = bias[c];
            for (int j : idx[r]) s += w[j * k + c] * norm[r];
            z[c] = s;
          }
          double[] p = SoftmaxHead.softmax(z, 1);
          double cw = classWeight[y[r]];
          wsum += cw;
          loss -= cw * Math.log(Math.max(1e-12, p[y[r]]));
          for (int c = 0; c < k; c++) {
            double d = cw * (p[c] - (c == y[r] ? 1 : 0));
            gb[c] += d;
            for (int j : idx[r]) g[j * k + c] += d * norm[r];
          }
        }
        step++;
        double c1 = 1 - Math.pow(0.9, step), c2 = 1 - Math.pow(0.999, step);
        double inv = 1 / wsum;
        for (int i = 0; i < w.length; i++) {
          double gi = g[i] * inv + o.l2() * w[i];
          m[i] = 0.9 * m[i] + 0.1 * gi;
          v[i] = 0.999 * v[i] + 0.001 * gi * gi;
          w[i] -= lr * (m[i] / c1) / (Math.sqrt(v[i] / c2) + 1e-8);
        }
        for (int c = 0; c < k; c++) {
          double gi = gb[c] * inv;
          mb[c] = 0.9 * mb[c] + 0.1 * gi;
          vb[c] = 0.999 * vb[c] + 0.001 * gi * gi;
          bias[c] -= lr * (mb[c] / c1) / (Math.sqrt(vb[c] / c2) + 1e-8);
        }
      }
      if (progress != null) {
        progress.accept(String.format(Locale.ROOT, "epoch %d/%d  weighted train loss %.4f", epoch, o.epochs(), loss / n));
      }
    }
    double[][] rows = new double[kept][k];
    for (int j = 0; j < kept; j++) for (int c = 0; c < k; c++) rows[j][c] = w[j * k + c];
    return NgramHead.quantised(o.bits(), o.charMax(), keys, rows, bias);
  }
}
