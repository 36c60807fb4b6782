package dev.pulse.scoring.eval.escalation;

import dev.pulse.event.Label;
import dev.pulse.scoring.Score;
import dev.pulse.scoring.eval.ConfusionMatrix;
import dev.pulse.scoring.eval.LabelledPost;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * What escalation to one served model did on a labelled set: macro-recall of the light scorer alone, of the light
 * scorer and of the LLM on the posts under the threshold (the posts the LLM would receive), and of the combination
 * (LLM where escalated, light elsewhere), with the escalated share and the speed. A post the gateway fell back on
 * keeps its light label, as in the pipeline.
 *
 * <p>The gate: a model is worth escalating to only if, on the posts it would receive, it beats the light scorer. The
 * same comparison at lower thresholds (the LLM's answers for those posts are a subset of these) gives the
 * threshold to recommend: the one with the best combined macro-recall, none if the LLM never helps.
 */
public record EscalationReport(String model, double threshold, int posts, int escalated, int llmAnswered,
    Map<String, Integer> fallbacks, ConfusionMatrix light, ConfusionMatrix lightOnEscalated,
    ConfusionMatrix llmOnEscalated, ConfusionMatrix combined, double lightSeconds, double llmSeconds,
    List<double[]> sweep) {

  /** @param answers the gateway's answer for each escalated post, in the order of {@code escalatedIndexes} */
  public static EscalationReport of(String model, double threshold, List<LabelledPost> posts, List<Score> light,
      List<Integer> escalatedIndexes, List<GatewayClassifier.Answer> answers, double lightSeconds, double llmSeconds) {
    ConfusionMatrix all = new ConfusionMatrix();
    ConfusionMatrix lightEsc = new ConfusionMatrix();
    ConfusionMatrix llmEsc = new ConfusionMatrix();
    Label[] finalLabels = new Label[posts.size()];
    for (int i = 0; i < posts.size(); i++) {
      all.add(posts.get(i).label(), light.get(i).label());
      finalLabels[i] = light.get(i).label();
    }
    int answered = 0;
    Map<String, Integer> fallbacks = new TreeMap<>();
    for (int k = 0; k < escalatedIndexes.size(); k++) {
      int i = escalatedIndexes.get(k);
      GatewayClassifier.Answer a = answers.get(k);
      lightEsc.add(posts.get(i).label(), light.get(i).label());
      llmEsc.add(posts.get(i).label(), a.label());
      finalLabels[i] = a.label();
      if (a.fromLlm()) {
        answered++;
      } else {
        fallbacks.merge(a.fallbackReason(), 1, Integer::sum);
      }
    }
    ConfusionMatrix combined = new ConfusionMatrix();
    for (int i = 0; i < posts.size(); i++) combined.add(posts.get(i).label(), finalLabels[i]);
    List<double[]> sweep = new ArrayList<>();
    for (int step = 1; step <= 20; step++) {
      double t = step * 0.05;
      if (t > threshold + 1e-9) break;
      ConfusionMatrix m = new ConfusionMatrix();
      int n = 0;
      for (int i = 0; i < posts.size(); i++) {
        boolean esc = light.get(i).confidence() < t;
        n += esc ? 1 : 0;
        m.add(posts.get(i).label(), esc ? finalLabels[i] : light.get(i).label());
      }
      sweep.add(new double[] {t, n / (double) posts.size(), m.macroRecall()});
    }
    return new EscalationReport(model, threshold, posts.size(), escalatedIndexes.size(), answered, fallbacks, all,
        lightEsc, llmEsc, combined, lightSeconds, llmSeconds, sweep);
  }

  /** The gate: does the LLM beat the light scorer on the posts it would receive? */
  public boolean llmBeatsLight() {
    return escalated > 0 && llmOnEscalated.macroRecall() > lightOnEscalated.macroRecall();
  }

  /** The threshold with the best combined macro-recall (0 = do not escalate, when none beats the light scorer). */
  public double recommendedThreshold() {
    double best = 0;
    double bestRecall = light.macroRecall();
    for (double[] row : sweep) {
      if (row[2] > bestRecall + 1e-9) {
        best = row[0];
        bestRecall = row[2];
      }
    }
    return best;
  }

  public String render() {
    StringBuilder s = new StringBuilder();
    s.append(String.format(Locale.ROOT, "model      %s   threshold %.2f: %d of %d posts escalated (%.1f%%), "
        + "%d answered by the LLM, fallbacks %s%n", model, threshold, escalated, posts, 100.0 * escalated / posts,
        llmAnswered, fallbacks.isEmpty() ? "none" : fallbacks));
    s.append(String.format(Locale.ROOT, "                                   macro-recall   accuracy   posts%n"));
    row(s, "light scorer, all posts", light, posts);
    row(s, "light scorer, escalated posts", lightOnEscalated, escalated);
    row(s, "LLM only, escalated posts", llmOnEscalated, escalated);
    row(s, "light + LLM (combined), all posts", combined, posts);
    double total = lightSeconds + llmSeconds;
    s.append(String.format(Locale.ROOT, "speed      light %.0f posts/s; LLM %.2f posts/s (%.0f ms per escalated post); "
        + "combined %.1f posts/s%n", posts / lightSeconds, escalated / Math.max(llmSeconds, 1e-9),
        1000 * llmSeconds / Math.max(escalated, 1), posts / total));
    s.append("sweep      threshold → escalated share, combined macro-recall:");
    for (double[] r : sweep) s.append(String.format(Locale.ROOT, "  %.2f→%.0f%% %.4f", r[0], 100 * r[1], r[2]));
    s.append(System.lineSeparator());
    s.append(String.format(Locale.ROOT, "gate       %s: the LLM %s the light scorer on the posts it would receive "
        + "(%.4f vs %.4f); best threshold on this set %s%n", llmBeatsLight() ? "PASS" : "FAIL",
        llmBeatsLight() ? "beats" : "does not beat", llmOnEscalated.macroRecall(), lightOnEscalated.macroRecall(),
        recommendedThreshold() == 0 ? "0 (no escalation)" : String.format(Locale.ROOT, "%.2f", recommendedThreshold())));
    return s.toString();
  }

  private static void row(StringBuilder s, String name, ConfusionMatrix m, int n) {
    s.append(String.format(Locale.ROOT, "  %-33s %.4f         %.4f     %d%n", name, n == 0 ? Double.NaN : m.macroRecall(),
        n == 0 ? Double.NaN : m.accuracy(), n));
  }
}
