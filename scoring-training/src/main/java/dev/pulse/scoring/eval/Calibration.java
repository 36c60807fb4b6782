package dev.pulse.scoring.eval;

import dev.pulse.event.Label;

import dev.pulse.scoring.Score;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Reliability of confidences and the escalation curve users pick their threshold from. */
public final class Calibration {
  private Calibration() {}

  /** One confidence bin: how many posts fell in it, their mean confidence and how many were right. */
  public record Bin(double from, double to, int count, double meanConfidence, double accuracy) {}

  /** One threshold: share of posts escalated (confidence below it) and accuracy / macro-recall of the rest. */
  public record EscalationPoint(double threshold, double escalatedShare, double keptAccuracy, double keptMacroRecall) {}

  public static List<Bin> reliability(List<Score> scores, List<Label> gold, int bins) {
    int[] n = new int[bins], right = new int[bins];
    double[] conf = new double[bins];
    for (int i = 0; i < scores.size(); i++) {
      double c = scores.get(i).confidence();
      int b = Math.min(bins - 1, (int) (c * bins));
      n[b]++;
      conf[b] += c;
      if (scores.get(i).label() == gold.get(i)) right[b]++;
    }
    List<Bin> out = new ArrayList<>();
    for (int b = 0; b < bins; b++) {
      if (n[b] == 0) continue;
      out.add(new Bin((double) b / bins, (double) (b + 1) / bins, n[b], conf[b] / n[b], (double) right[b] / n[b]));
    }
    return out;
  }

  /** Expected calibration error: the count-weighted mean gap between confidence and accuracy per bin. */
  public static double expectedCalibrationError(List<Bin> bins) {
    double total = 0, gap = 0;
    for (Bin b : bins) {
      total += b.count();
      gap += b.count() * Math.abs(b.meanConfidence() - b.accuracy());
    }
    return total == 0 ? 0 : gap / total;
  }

  public static List<EscalationPoint> escalationCurve(List<Score> scores, List<Label> gold, double[] thresholds) {
    List<EscalationPoint> out = new ArrayList<>();
    for (double t : thresholds) {
      ConfusionMatrix kept = new ConfusionMatrix();
      int escalated = 0;
      for (int i = 0; i < scores.size(); i++) {
        if (scores.get(i).confidence() < t) escalated++;
        else kept.add(gold.get(i), scores.get(i).label());
      }
      out.add(new EscalationPoint(t, (double) escalated / scores.size(), kept.accuracy(), kept.macroRecall()));
    }
    return out;
  }

  public static String renderCurve(List<EscalationPoint> curve) {
    StringBuilder b = new StringBuilder("| threshold | escalated | accuracy of the rest | macro-recall of the rest |\n");
    b.append("|---:|---:|---:|---:|\n");
    for (EscalationPoint p : curve) {
      b.append(String.format(Locale.ROOT, "| %.2f | %.1f%% | %.3f | %.3f |%n", p.threshold(),
          100 * p.escalatedShare(), p.keptAccuracy(), p.keptMacroRecall()));
    }
    return b.toString();
  }

  public static String renderBins(List<Bin> bins) {
    StringBuilder b = new StringBuilder("| confidence | posts | mean confidence | accuracy |\n|---|---:|---:|---:|\n");
    for (Bin x : bins) {
      b.append(String.format(Locale.ROOT, "| %.1f-%.1f | %d | %.3f | %.3f |%n", x.from(), x.to(), x.count(),
          x.meanConfidence(), x.accuracy()));
    }
    return b.toString();
  }
}
