package dev.pulse.scoring.training;

import dev.pulse.event.Label;

import dev.pulse.scoring.learned.NgramHead;
import dev.pulse.scoring.learned.TunedMix;

import dev.pulse.scoring.learned.LightHeads;
import dev.pulse.scoring.learned.SoftmaxHead;
import dev.pulse.scoring.learned.TokenAttention;

import dev.pulse.scoring.glossary.Glossary;
import dev.pulse.scoring.LexiconScorer;
import dev.pulse.scoring.LightScorer;
import dev.pulse.scoring.Score;
import dev.pulse.scoring.eval.Calibration;
import dev.pulse.scoring.eval.ConfusionMatrix;
import dev.pulse.scoring.eval.LabelledPost;
import dev.pulse.scoring.lexicon.RuleAnalyzer;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Reproduces the shipped heads: removes validation tweets from the training pool, fits the lexicon head and
 * the light head on the pool, picks hyper-parameters by validation macro-recall, fits each head's
 * temperature on validation, and writes the heads as resources. The test split is never read here.
 */
public final class ScorerTraining {
  private final Consumer<String> log;

  public ScorerTraining(Consumer<String> log) {
    this.log = log;
  }

  /** Training posts whose dedup key does not occur in the validation split. */
  public static List<LabelledPost> withoutValidation(List<LabelledPost> pool, List<LabelledPost> validation) {
    Set<String> valKeys = new HashSet<>();
    for (LabelledPost p : validation) {
      String k = DedupKey.of(p.text());
      if (k != null) valKeys.add(k);
    }
    List<LabelledPost> out = new ArrayList<>();
    for (LabelledPost p : pool) {
      String k = DedupKey.of(p.text());
      if (k == null || !valKeys.contains(k)) out.add(p);
    }
    return out;
  }

  public record Candidate(String name, SoftmaxTrainer.Options options) {}

  /** Trains every candidate, keeps the best by validation macro-recall and calibrates its temperature. */
  public SoftmaxHead select(String what, double[][] xTrain, int[] yTrain, double[][] xVal, int[] yVal,
      List<Candidate> candidates) {
    return select(what, xTrain, null, yTrain, new SoftmaxTrainer.Validation(xVal, null, yVal), candidates, false)
        .trained().head();
  }

  /** The candidate that won and its head, temperature-calibrated. */
  public record Chosen(Candidate candidate, SoftmaxTrainer.Trained trained) {}

  /**
   * The same for heads that may read attention-pooled token states ({@code Options.heads() > 0}); with
   * {@code bestEpoch} each candidate keeps its epoch of best validation macro-recall.
   */
  public Chosen select(String what, double[][] xTrain, TokenStates[] tokTrain, int[] yTrain,
      SoftmaxTrainer.Validation val, List<Candidate> candidates, boolean bestEpoch) {
    SoftmaxTrainer.Trained best = null;
    double[][] bestZ = null;
    double bestRecall = -1;
    Candidate bestCandidate = null;
    for (Candidate c : candidates) {
      long t0 = System.nanoTime();
      SoftmaxTrainer.Trained trained = SoftmaxTrainer.train(xTrain, tokTrain, yTrain, c.options(),
          bestEpoch ? val : null, m -> log.accept(what + " " + c.name() + ": " + m));
      double[][] z = SoftmaxTrainer.logits(trained, val);
      double recall = SoftmaxTrainer.macroRecall(z, val.y());
      log.accept(String.format(Locale.ROOT, "%s %s: validation macro-recall %.4f (%.0f s)", what, c.name(), recall,
          (System.nanoTime() - t0) / 1e9));
      if (recall > bestRecall) {
        bestRecall = recall;
        best = trained;
        bestZ = z;
        bestCandidate = c;
      }
    }
    double t = fitTemperature(bestZ, val.y());
    log.accept(String.format(Locale.ROOT, "%s: chose %s, temperature %.3f", what, bestCandidate.name(), t));
    return new Chosen(bestCandidate, new SoftmaxTrainer.Trained(best.head().withTemperature(t), best.attention()));
  }

  /**
   * {@code members} heads trained like {@code chosen} from seeds {@code seed, seed + 1, ...} (the first is
   * {@code first}, already trained), averaged ({@link LightHeads}), temperature fitted on validation.
   */
  public LightHeads ensemble(String what, SoftmaxTrainer.Trained first, SoftmaxTrainer.Options chosen, int members,
      double[][] xTrain, TokenStates[] tokTrain, int[] yTrain, SoftmaxTrainer.Validation val) {
    List<SoftmaxHead> heads = new ArrayList<>(List.of(first.head()));
    List<TokenAttention> attentions = new ArrayList<>(List.of(orNone(first.attention())));
    for (int m = 1; m < members; m++) {
      SoftmaxTrainer.Options o = chosen.withSeed(chosen.seed() + m);
      int member = m + 1;
      SoftmaxTrainer.Trained t = SoftmaxTrainer.train(xTrain, tokTrain, yTrain, o, val,
          line -> log.accept(what + " member " + member + "/" + members + ": " + line));
      log.accept(String.format(Locale.ROOT, "%s member %d/%d: validation macro-recall %.4f", what, member, members,
          SoftmaxTrainer.macroRecall(t, val)));
      heads.add(t.head());
      attentions.add(orNone(t.attention()));
    }
    LightHeads merged = new LightHeads(heads, attentions, 1.0);
    double[][] z = logits(merged, val); // a temperature does not change which label wins
    double t = fitTemperature(z, val.y());
    log.accept(String.format(Locale.ROOT, "%s: average of %d members, validation macro-recall %.4f, temperature %.3f",
        what, members, SoftmaxTrainer.macroRecall(z, val.y()), t));
    return merged.withTemperature(t);
  }

  private static TokenAttention orNone(TokenAttention a) {
    return a == null ? TokenAttention.none() : a;
  }

  /** Uncalibrated logits of a set of heads on the validation posts. */
  public static double[][] logits(LightHeads heads, SoftmaxTrainer.Validation v) {
    double[][] z = new double[v.y().length][];
    for (int i = 0; i < z.length; i++) {
      float[] attended = heads.pooling().dimension() == 0 ? new float[0] : heads.pooling().pool(v.tokens()[i].decode());
      z[i] = heads.logits(v.x()[i], attended);
    }
    return z;
  }

  public record NgramCandidate(String name, NgramTrainer.Options options) {}

  /**
   * Trains every n-gram candidate and, for each, every mix with the (already chosen) embedding head's logits
   * ({@code mix} 1.0 = the embedding head alone); keeps the best pair by validation macro-recall and fits the
   * temperature of the mixed logits on validation.
   */
  public NgramHead selectNgram(List<String> trainTexts, int[] yTrain, List<String> valTexts, int[] yVal,
      double[][] zm, List<NgramCandidate> candidates, double[] mixes) {
    NgramHead best = null;
    double bestRecall = -1, bestMix = 1;
    String bestName = null;
    for (NgramCandidate c : candidates) {
      long t0 = System.nanoTime();
      NgramHead head = NgramTrainer.train(trainTexts, yTrain, c.options(), m -> log.accept("n-gram head " + c.name() + ": " + m));
      double[][] zn = new double[valTexts.size()][];
      for (int i = 0; i < zn.length; i++) zn[i] = head.logits(valTexts.get(i));
      StringBuilder line = new StringBuilder();
      for (double mix : mixes) {
        double recall = SoftmaxTrainer.macroRecall(mixed(zm, zn, mix), yVal);
        line.append(String.format(Locale.ROOT, " %.2f:%.4f", mix, recall));
        if (recall > bestRecall) {
          bestRecall = recall;
          best = head;
          bestMix = mix;
          bestName = c.name();
        }
      }
      log.accept(String.format(Locale.ROOT, "n-gram head %s (%d buckets kept, %.0f s): validation macro-recall by mix"
          + " (embedding-head share:recall)%s", c.name(), head.size(), (System.nanoTime() - t0) / 1e9, line));
    }
    double[][] zn = new double[valTexts.size()][];
    for (int i = 0; i < zn.length; i++) zn[i] = best.logits(valTexts.get(i));
    double t = fitTemperature(mixed(zm, zn, bestMix), yVal);
    log.accept(String.format(Locale.ROOT, "n-gram head: chose %s with mix %.2f (validation macro-recall %.4f), temperature %.3f",
        bestName, bestMix, bestRecall, t));
    return best.withMix(bestMix, t);
  }

  /**
   * Chooses how much the fine-tuned encoder weighs against the rest of the light scorer ({@link TunedMix}) and fits
   * the temperature of the mix on validation. The mix is the largest share of the rest whose validation macro-recall
   * is within {@code tolerance} of the best mix's: the rest carries the lexicon rules and the pipeline's glossary,
   * which the fine-tuned encoder cannot see, so it is kept wherever the difference is within validation noise.
   *
   * @param pLight the light scorer's calibrated probabilities on validation, without the fine-tuned encoder
   * @param zTuned the fine-tuned encoder's logits on the same posts
   */
  public TunedMix selectTunedMix(double[][] pLight, double[][] zTuned, int[] yVal, double[] mixes, double tolerance) {
    double[] recall = new double[mixes.length];
    double best = -1;
    StringBuilder line = new StringBuilder();
    for (int k = 0; k < mixes.length; k++) {
      recall[k] = SoftmaxTrainer.macroRecall(tunedLogits(new TunedMix(mixes[k], 1), pLight, zTuned), yVal);
      best = Math.max(best, recall[k]);
      line.append(String.format(Locale.ROOT, " %.2f:%.4f", mixes[k], recall[k]));
    }
    int chosen = -1;
    for (int k = 0; k < mixes.length; k++) {
      if (recall[k] >= best - tolerance && (chosen < 0 || mixes[k] > mixes[chosen])) chosen = k;
    }
    log.accept("fine-tuned encoder: validation macro-recall by mix (share of the rest of the light scorer:recall)" + line);
    double t = fitTemperature(tunedLogits(new TunedMix(mixes[chosen], 1), pLight, zTuned), yVal);
    log.accept(String.format(Locale.ROOT, "fine-tuned encoder: chose mix %.2f (validation macro-recall %.4f, best %.4f, "
        + "tolerance %.4f), temperature %.3f", mixes[chosen], recall[chosen], best, tolerance, t));
    return new TunedMix(mixes[chosen], t);
  }

  private static double[][] tunedLogits(TunedMix m, double[][] pLight, double[][] zTuned) {
    double[][] z = new double[pLight.length][];
    for (int i = 0; i < z.length; i++) z[i] = m.logits(pLight[i], zTuned[i]);
    return z;
  }

  private static double[][] mixed(double[][] zm, double[][] zn, double mix) {
    double[][] z = new double[zm.length][];
    for (int i = 0; i < z.length; i++) z[i] = NgramHead.mixedLogits(zm[i], zn[i], mix);
    return z;
  }

  /** Temperature scaling (Guo et al., 2017): the T minimising validation negative log-likelihood. */
  static double fitTemperature(double[][] z, int[] y) {
    double lo = Math.log(0.2), hi = Math.log(10);
    double g = (Math.sqrt(5) - 1) / 2;
    for (int it = 0; it < 60; it++) {
      double a = hi - g * (hi - lo), b = lo + g * (hi - lo);
      if (nll(z, y, Math.exp(a)) < nll(z, y, Math.exp(b))) hi = b;
      else lo = a;
    }
    return Math.exp((lo + hi) / 2);
  }

  private static double nll(double[][] z, int[] y, double t) {
    double s = 0;
    for (int i = 0; i < z.length; i++) s -= Math.log(Math.max(1e-12, SoftmaxHead.softmax(z[i], t)[y[i]]));
    return s / z.length;
  }

  public static double[][] lexiconFeatures(List<LabelledPost> posts) {
    RuleAnalyzer analyzer = new RuleAnalyzer(Glossary.EMPTY);
    return posts.stream().map(p -> analyzer.analyze(p.text()).vector()).toArray(double[][]::new);
  }

  public static double[][] lightFeatures(List<LabelledPost> posts, float[][] embeddings) {
    RuleAnalyzer analyzer = new RuleAnalyzer(Glossary.EMPTY);
    double[][] x = new double[posts.size()][];
    for (int i = 0; i < x.length; i++) x[i] = LightScorer.features(embeddings[i], analyzer.analyze(posts.get(i).text()));
    return x;
  }

  public static int[] labels(List<LabelledPost> posts) {
    return posts.stream().mapToInt(p -> p.label().index()).toArray();
  }

  /** Prints validation metrics, reliability and the escalation curve of a trained head. */
  public void report(String what, SoftmaxHead head, double[][] xVal, int[] yVal) {
    double[][] p = new double[xVal.length][];
    for (int i = 0; i < xVal.length; i++) p[i] = head.probabilities(xVal[i]);
    report(what, p, yVal);
  }

  /** Prints validation metrics, reliability and the escalation curve of calibrated probabilities. */
  public void report(String what, double[][] probabilities, int[] yVal) {
    List<Score> scores = new ArrayList<>();
    List<Label> gold = new ArrayList<>();
    ConfusionMatrix m = new ConfusionMatrix();
    for (int i = 0; i < probabilities.length; i++) {
      Score s = Score.fromProbabilities(probabilities[i], false);
      scores.add(s);
      gold.add(Label.ofIndex(yVal[i]));
      m.add(Label.ofIndex(yVal[i]), s.label());
    }
    List<Calibration.Bin> bins = Calibration.reliability(scores, gold, 10);
    log.accept(String.format(Locale.ROOT, "%s on validation: macro-recall %.4f, accuracy %.4f, macro-F1 %.4f, ECE %.4f",
        what, m.macroRecall(), m.accuracy(), m.macroF1(), Calibration.expectedCalibrationError(bins)));
    log.accept("reliability (validation):\n" + Calibration.renderBins(bins));
    log.accept("escalation curve (validation):\n" + Calibration.renderCurve(
        Calibration.escalationCurve(scores, gold, new double[] {0, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9})));
  }

  public static void write(NgramHead head, Path file) throws IOException {
    Files.createDirectories(file.getParent());
    try (java.io.OutputStream o = new java.io.BufferedOutputStream(Files.newOutputStream(file))) {
      head.write(o);
    }
  }

  public static void write(LightHeads heads, Path file) throws IOException {
    Files.createDirectories(file.getParent());
    try (java.io.OutputStream o = new java.io.BufferedOutputStream(Files.newOutputStream(file))) {
      heads.write(o);
    }
  }

  public static void write(TunedMix mix, Path file, String comment) throws IOException {
    Files.createDirectories(file.getParent());
    try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      mix.write(w, comment);
    }
  }

  public static void write(SoftmaxHead head, Path file, String comment) throws IOException {
    Files.createDirectories(file.getParent());
    try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      head.write(w, comment);
    }
  }

  /** Lets the lexicon tier be built from a head that is not (yet) a shipped resource. */
  public static LexiconScorer lexiconScorer(SoftmaxHead head) {
    return new LexiconScorer(new RuleAnalyzer(Glossary.EMPTY), head);
  }
}
