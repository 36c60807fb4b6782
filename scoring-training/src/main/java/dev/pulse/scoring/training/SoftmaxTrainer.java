package dev.pulse.scoring.training;

import dev.pulse.event.Label;

import dev.pulse.scoring.learned.Embedder;

import dev.pulse.scoring.learned.LightHeads;
import dev.pulse.scoring.learned.SoftmaxHead;
import dev.pulse.scoring.learned.TokenAttention;

import dev.pulse.scoring.Score;
import dev.pulse.scoring.eval.ConfusionMatrix;
import java.util.Arrays;
import java.util.Locale;
import java.util.Random;
import java.util.function.Consumer;

/**
 * Trains a {@link SoftmaxHead} by mini-batch Adam on cross-entropy with L2 and class-balanced weights (each
 * class weighs the same in total, which is what macro-averaged recall rewards and makes the head indifferent
 * to the class priors, which differ between TweetEval's train and test splits). Deterministic for a seed.
 *
 * <p>With {@code heads > 0} it trains a {@link TokenAttention} jointly with the head: the head's input is then the
 * fixed features followed by each head's attention-pooled token states, and the gradient flows through the pooling
 * into the query vectors. The pooled part is standardised with the statistics of plain mean pooling (what every
 * query pools at the start, as the queries start at zero).
 */
public final class SoftmaxTrainer {

  /**
   * @param hidden ReLU units (0 = multinomial logistic regression)
   * @param heads attention heads over the token states (0 = the fixed features only)
   * @param projection width of the per-token ReLU layer the heads pool (0 = they pool the raw token states)
   * @param dropout share of the hidden layer's inputs and of its units dropped while training (0 = none; needs
   *     a hidden layer)
   */
  public record Options(int hidden, double l2, int epochs, double learningRate, int batch, long seed, int heads,
      int projection, double dropout) {
    public Options(int hidden, double l2, int epochs, double learningRate, int batch, long seed) {
      this(hidden, l2, epochs, learningRate, batch, seed, 0, 0, 0);
    }

    public Options(int hidden, double l2, int epochs, double learningRate, int batch, long seed, int heads) {
      this(hidden, l2, epochs, learningRate, batch, seed, heads, 0, 0);
    }

    public Options(int hidden, double l2, int epochs, double learningRate, int batch, long seed, int heads,
        int projection) {
      this(hidden, l2, epochs, learningRate, batch, seed, heads, projection, 0);
    }

    /** The same with another seed. */
    public Options withSeed(long s) {
      return new Options(hidden, l2, epochs, learningRate, batch, s, heads, projection, dropout);
    }
  }

  /** Posts to pick the best epoch on: fixed features, token states (with attention) and labels. */
  public record Validation(double[][] x, TokenStates[] tokens, int[] y) {}

  /** A trained head and the attention whose pooled states it reads after the fixed features (null: none). */
  public record Trained(SoftmaxHead head, TokenAttention attention) {
    /** As the scorer's heads (inference does not know the trainer: it takes the head and attention). */
    public LightHeads toHeads() {
      return LightHeads.single(head, attention);
    }

    public double[] logits(double[] x, float[][] tokens) {
      return head.logits(attention == null ? x : concat(x, attention.pool(tokens)));
    }
  }

  // The head's L2 (1e-2) would swamp the projection's small per-weight gradients under Adam and hold it near
  // zero: its loss fell half as fast as without a projection. A light penalty for it instead.
  private static final float PROJECTION_L2 = 1e-5f;

  private SoftmaxTrainer() {}

  public static SoftmaxHead train(double[][] x, int[] y, Options o, Consumer<String> progress) {
    if (o.heads() > 0) throw new IllegalArgumentException("attention heads need token states");
    return train(x, null, y, o, null, progress).head();
  }

  /**
   * @param tokens per post, when {@code o.heads() > 0}
   * @param validation null: the last epoch's weights; otherwise the epoch with the best validation macro-recall
   */
  public static Trained train(double[][] x, TokenStates[] tokens, int[] y, Options o, Validation validation,
      Consumer<String> progress) {
    int n = x.length, d = x[0].length, k = SoftmaxHead.CLASSES, h = o.hidden(), heads = o.heads();
    int dim = Embedder.DIMENSION, proj = heads > 0 ? o.projection() : 0, width = proj > 0 ? proj : dim;
    int total = d + heads * width;
    double[] mean = new double[total], scale = new double[total];
    for (double[] row : x) for (int i = 0; i < d; i++) mean[i] += row[i] / n;
    for (double[] row : x) for (int i = 0; i < d; i++) scale[i] += (row[i] - mean[i]) * (row[i] - mean[i]) / n;
    // Projected states change while training, so they keep scale 1 (He-initialised ReLUs are of order 1).
    if (heads > 0 && proj == 0) meanPooledStats(tokens, mean, scale, d, heads);
    if (proj > 0) java.util.Arrays.fill(scale, d, total, 1.0);
    for (int i = 0; i < total; i++) scale[i] = 1 / Math.sqrt(scale[i] + 1e-8);

    int[] counts = new int[k];
    for (int c : y) counts[c]++;
    double[] classWeight = new double[k];
    for (int c = 0; c < k; c++) classWeight[c] = counts[c] == 0 ? 0 : (double) n / (k * counts[c]);

    Random rnd = new Random(o.seed());
    int in = h > 0 ? h : total;
    double[][] hw = new double[h][total];
    double[] hb = new double[h];
    double[][] ow = new double[k][in];
    double[] ob = new double[k];
    double[][] q = new double[heads][width];
    for (double[] row : hw) for (int i = 0; i < total; i++) row[i] = rnd.nextGaussian() * Math.sqrt(2.0 / total);
    if (h > 0) for (double[] row : ow) for (int i = 0; i < in; i++) row[i] = rnd.nextGaussian() * Math.sqrt(1.0 / h);
    float[][] pw = proj > 0 ? new float[dim][proj] : null; // the projection, [input][output]
    float[] pb = proj > 0 ? new float[proj] : null;
    if (pw != null) for (float[] col : pw) for (int i = 0; i < proj; i++) col[i] = (float) (rnd.nextGaussian() * Math.sqrt(2.0 / dim));

    Adam adamHw = new Adam(h * total), adamHb = new Adam(h), adamOw = new Adam(k * in), adamOb = new Adam(k);
    Adam adamQ = new Adam(heads * width);
    AdamFloat adamPw = new AdamFloat(proj > 0 ? dim * proj : 0), adamPb = new AdamFloat(proj);
    double[][] xs = new double[n][];
    for (int r = 0; r < n; r++) {
      xs[r] = new double[d];
      for (int i = 0; i < d; i++) xs[r][i] = (x[r][i] - mean[i]) * scale[i];
    }
    int[] order = new int[n];
    for (int i = 0; i < n; i++) order[i] = i;

    double[][] gHw = new double[h][total];
    double[] gHb = new double[h];
    double[][] gOw = new double[k][in];
    double[] gOb = new double[k];
    double[][] gQ = new double[heads][width];
    float[][] gPw = proj > 0 ? new float[dim][proj] : null;
    float[] gPb = proj > 0 ? new float[proj] : null;
    double[] hid = new double[in];
    double[] z = new double[k];
    double[] dh = new double[in];
    double[] u = heads > 0 ? new double[total] : null; // the head's input when attention adds to the features
    double[] du = heads > 0 ? new double[total] : null;
    int maxTokens = 1;
    if (heads > 0) for (TokenStates t : tokens) maxTokens = Math.max(maxTokens, t.tokens());
    float[][] states = new float[heads > 0 ? maxTokens : 0][dim];
    float[][] projected = new float[proj > 0 ? maxTokens : 0][proj];
    float[][] dProjected = new float[proj > 0 ? maxTokens : 0][proj];
    float[] dz = new float[proj];
    double drop = h > 0 ? o.dropout() : 0, keep = 1 / (1 - drop);
    Random dropRnd = new Random(o.seed() * 31 + 1);
    double[] inMask = new double[drop > 0 ? total : 0], hMask = new double[drop > 0 ? h : 0];
    double[] xd = new double[drop > 0 ? total : 0];
    double[][] att = new double[heads][maxTokens];
    double[] da = new double[maxTokens];

    Trained best = null;
    double bestRecall = -1;
    int bestEpoch = 0;
    for (int epoch = 1; epoch <= o.epochs(); epoch++) {
      shuffle(order, rnd);
      double loss = 0;
      // Step size decays linearly to a tenth over the run, which settles the last epochs.
      double lr = o.learningRate() * (1 - 0.9 * (epoch - 1) / Math.max(1, o.epochs() - 1));
      for (int start = 0; start < n; start += o.batch()) {
        int end = Math.min(n, start + o.batch());
        for (double[] row : gHw) Arrays.fill(row, 0);
        Arrays.fill(gHb, 0);
        for (double[] row : gOw) Arrays.fill(row, 0);
        Arrays.fill(gOb, 0);
        for (double[] row : gQ) Arrays.fill(row, 0);
        if (proj > 0) {
          for (float[] row : gPw) Arrays.fill(row, 0);
          Arrays.fill(gPb, 0);
        }
        double wsum = 0;
        for (int b = start; b < end; b++) {
          int r = order[b];
          double[] xi = xs[r];
          int len = 0;
          float[][] src = states;
          if (heads > 0) {
            len = tokens[r].tokens();
            tokens[r].decode(states);
            if (proj > 0) src = TokenAttention.project(states, len, pw, pb, projected);
            System.arraycopy(xi, 0, u, 0, d);
            for (int a = 0; a < heads; a++) pool(q[a], src, len, att[a], u, d + a * width, mean, scale);
            xi = u;
          }
          if (drop > 0) {
            // Inverted dropout: what is kept is scaled up, so nothing changes at inference.
            for (int i = 0; i < total; i++) xd[i] = xi[i] * (inMask[i] = dropRnd.nextDouble() < drop ? 0 : keep);
            for (int j = 0; j < h; j++) {
              hMask[j] = dropRnd.nextDouble() < drop ? 0 : keep;
              hid[j] = Math.max(0, hb[j] + SoftmaxHead.dot(hw[j], xd)) * hMask[j];
            }
            xi = xd;
          } else if (h > 0) {
            for (int j = 0; j < h; j++) hid[j] = Math.max(0, hb[j] + SoftmaxHead.dot(hw[j], xi));
          } else {
            System.arraycopy(xi, 0, hid, 0, total);
          }
          for (int c = 0; c < k; c++) z[c] = ob[c] + SoftmaxHead.dot(ow[c], hid);
          double[] p = SoftmaxHead.softmax(z, 1);
          double w = classWeight[y[r]];
          wsum += w;
          loss -= w * Math.log(Math.max(1e-12, p[y[r]]));
          if (h > 0) Arrays.fill(dh, 0, h, 0);
          if (heads > 0) Arrays.fill(du, 0);
          for (int c = 0; c < k; c++) {
            double g = w * (p[c] - (c == y[r] ? 1 : 0));
            gOb[c] += g;
            double[] go = gOw[c], wo = ow[c];
            for (int i = 0; i < in; i++) go[i] += g * hid[i];
            if (h > 0) for (int j = 0; j < h; j++) dh[j] += g * wo[j];
            else if (heads > 0) for (int i = d; i < total; i++) du[i] += g * wo[i];
          }
          if (h > 0) {
            for (int j = 0; j < h; j++) {
              if (hid[j] <= 0) continue;
              double dj = drop > 0 ? dh[j] * hMask[j] : dh[j];
              gHb[j] += dj;
              double[] gh = gHw[j];
              for (int i = 0; i < total; i++) gh[i] += dj * xi[i];
              if (heads > 0) {
                double[] wj = hw[j];
                if (drop > 0) for (int i = d; i < total; i++) du[i] += dj * wj[i] * inMask[i];
                else for (int i = d; i < total; i++) du[i] += dj * wj[i];
              }
            }
          }
          for (int a = 0; a < heads; a++) {
            poolBackward(src, len, att[a], du, d + a * width, scale, da, q[a], gQ[a], proj > 0 ? dProjected : null);
          }
          if (proj > 0) projectBackward(states, projected, dProjected, len, dz, gPw, gPb);
        }
        double inv = 1 / wsum;
        adamOb.step(ob, 0, gOb, inv, 0, lr);
        for (int c = 0; c < k; c++) adamOw.step(ow[c], c * in, gOw[c], inv, o.l2(), lr);
        for (int j = 0; j < h; j++) adamHw.step(hw[j], j * total, gHw[j], inv, o.l2(), lr);
        if (h > 0) adamHb.step(hb, 0, gHb, inv, 0, lr);
        for (int a = 0; a < heads; a++) adamQ.step(q[a], a * width, gQ[a], inv, 0, lr);
        if (proj > 0) {
          for (int j = 0; j < dim; j++) adamPw.step(pw[j], j * proj, gPw[j], (float) inv, PROJECTION_L2, (float) lr);
          adamPb.step(pb, 0, gPb, (float) inv, 0, (float) lr);
        }
      }
      String line = String.format(Locale.ROOT, "epoch %d/%d  weighted train loss %.4f", epoch, o.epochs(), loss / n);
      if (validation != null || epoch == o.epochs()) {
        Trained now = new Trained(new SoftmaxHead(mean.clone(), scale.clone(), deepCopy(hw), hb.clone(), deepCopy(ow),
            ob.clone(), 1.0), heads == 0 ? null
            : proj > 0 ? new TokenAttention(deepCopy(q), deepCopy(pw), pb.clone()) : new TokenAttention(deepCopy(q)));
        if (validation == null) {
          best = now;
        } else {
          double recall = macroRecall(now, validation);
          line += String.format(Locale.ROOT, "  validation macro-recall %.4f", recall);
          if (recall > bestRecall) {
            bestRecall = recall;
            best = now;
            bestEpoch = epoch;
          }
        }
      }
      if (progress != null) progress.accept(line);
    }
    if (validation != null && progress != null) {
      progress.accept(String.format(Locale.ROOT, "kept epoch %d (validation macro-recall %.4f)", bestEpoch, bestRecall));
    }
    return best;
  }

  /** Forward pooling of one head into {@code u[at ..]}, standardised; the weights stay in {@code a}. */
  private static void pool(double[] q, float[][] states, int len, double[] a, double[] u, int at, double[] mean,
      double[] scale) {
    int dim = q.length;
    TokenAttention.weights(q, states, len, a);
    Arrays.fill(u, at, at + dim, 0);
    for (int t = 0; t < len; t++) {
      float[] row = states[t];
      double w = a[t];
      for (int j = 0; j < dim; j++) u[at + j] += w * row[j];
    }
    for (int j = 0; j < dim; j++) u[at + j] = (u[at + j] - mean[at + j]) * scale[at + j];
  }

  /**
   * Gradient of the loss with respect to a head's query, given the gradient {@code du} of its pooled input; with
   * {@code dStates}, also adds the gradient with respect to the pooled (projected) states into it.
   */
  private static void poolBackward(float[][] states, int len, double[] a, double[] du, int at, double[] scale,
      double[] da, double[] q, double[] gq, float[][] dStates) {
    int dim = gq.length;
    double avg = 0;
    for (int t = 0; t < len; t++) {
      float[] row = states[t];
      double s = 0;
      for (int j = 0; j < dim; j++) s += du[at + j] * scale[at + j] * row[j];
      da[t] = s;
      avg += a[t] * s;
    }
    for (int t = 0; t < len; t++) {
      double ds = a[t] * (da[t] - avg);
      float[] row = states[t];
      for (int j = 0; j < dim; j++) gq[j] += ds * row[j];
      if (dStates != null) {
        float[] g = dStates[t];
        for (int j = 0; j < dim; j++) g[j] += (float) (a[t] * du[at + j] * scale[at + j] + ds * q[j]);
      }
    }
  }

  /** Through the ReLU projection into its weights; clears {@code dProjected} for the next post. */
  private static void projectBackward(float[][] states, float[][] projected, float[][] dProjected, int len,
      float[] dz, float[][] gPw, float[] gPb) {
    int p = dz.length;
    for (int t = 0; t < len; t++) {
      float[] y = projected[t], g = dProjected[t];
      for (int i = 0; i < p; i++) {
        dz[i] = y[i] > 0 ? g[i] : 0;
        gPb[i] += dz[i];
      }
      float[] h = states[t];
      for (int j = 0; j < h.length; j++) {
        float x = h[j];
        float[] col = gPw[j];
        for (int i = 0; i < p; i++) col[i] += x * dz[i]; // axpy: the JIT vectorises it
      }
      Arrays.fill(g, 0);
    }
  }

  /** Mean and variance (into {@code scale}) of plain mean pooling, the same for every head's slot. */
  private static void meanPooledStats(TokenStates[] tokens, double[] mean, double[] var, int d, int heads) {
    int dim = Embedder.DIMENSION, n = tokens.length;
    double[][] pooled = new double[n][dim];
    for (int r = 0; r < n; r++) {
      float[][] s = tokens[r].decode();
      for (float[] row : s) for (int j = 0; j < dim; j++) pooled[r][j] += row[j] / s.length;
    }
    double[] m = new double[dim], v = new double[dim];
    for (double[] p : pooled) for (int j = 0; j < dim; j++) m[j] += p[j] / n;
    for (double[] p : pooled) for (int j = 0; j < dim; j++) v[j] += (p[j] - m[j]) * (p[j] - m[j]) / n;
    for (int a = 0; a < heads; a++) {
      System.arraycopy(m, 0, mean, d + a * dim, dim);
      System.arraycopy(v, 0, var, d + a * dim, dim);
    }
  }

  public static double macroRecall(Trained t, Validation v) {
    return macroRecall(logits(t, v), v.y());
  }

  /** Uncalibrated logits of a trained head on the validation posts. */
  static double[][] logits(Trained t, Validation v) {
    double[][] z = new double[v.y().length][];
    for (int i = 0; i < z.length; i++) {
      z[i] = t.logits(v.x()[i], t.attention() == null ? null : v.tokens()[i].decode());
    }
    return z;
  }

  /** Macro-averaged recall of the labels these logits pick. */
  public static double macroRecall(double[][] z, int[] y) {
    ConfusionMatrix m = new ConfusionMatrix();
    for (int i = 0; i < z.length; i++) {
      m.add(Label.ofIndex(y[i]), Score.fromProbabilities(SoftmaxHead.softmax(z[i], 1), false).label());
    }
    return m.macroRecall();
  }

  public static double[] concat(double[] a, float[] b) {
    double[] out = Arrays.copyOf(a, a.length + b.length);
    for (int i = 0; i < b.length; i++) out[a.length + i] = b[i];
    return out;
  }

  private static float[][] deepCopy(float[][] m) {
    float[][] c = new float[m.length][];
    for (int i = 0; i < m.length; i++) c[i] = m[i].clone();
    return c;
  }

  private static double[][] deepCopy(double[][] m) {
    double[][] c = new double[m.length][];
    for (int i = 0; i < m.length; i++) c[i] = m[i].clone();
    return c;
  }

  private static void shuffle(int[] a, Random rnd) {
    for (int i = a.length - 1; i > 0; i--) {
      int j = rnd.nextInt(i + 1);
      int t = a[i];
      a[i] = a[j];
      a[j] = t;
    }
  }

  /** {@link Adam} for float parameters (the projection: ~100k weights, updated in float like it computes). */
  private static final class AdamFloat {
    private final float[] m, v;
    private int t;
    private int lastOffset = -1;

    AdamFloat(int size) {
      m = new float[size];
      v = new float[size];
    }

    void step(float[] param, int offset, float[] grad, float gradScale, float l2, float lr) {
      if (offset <= lastOffset || lastOffset < 0) t++; // one step per batch, however many blocks it updates
      lastOffset = offset;
      float b1 = 0.9f, b2 = 0.999f;
      float c1 = (float) (1 - Math.pow(b1, t)), c2 = (float) (1 - Math.pow(b2, t));
      for (int i = 0; i < param.length; i++) {
        float g = grad[i] * gradScale + l2 * param[i];
        int at = offset + i;
        m[at] = b1 * m[at] + (1 - b1) * g;
        v[at] = b2 * v[at] + (1 - b2) * g * g;
        param[i] -= lr * (m[at] / c1) / ((float) Math.sqrt(v[at] / c2) + 1e-8f);
      }
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
