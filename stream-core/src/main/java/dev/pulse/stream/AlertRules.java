package dev.pulse.stream;

import dev.pulse.event.Alert;
import dev.pulse.event.AlertKind;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The alert decisions for one closed roll-up window, as a pure function of its stats and its trailing windows. */
public final class AlertRules {
  private AlertRules() {}

  /** The trailing windows before this one: how many, their post count and their score sum. */
  public record Trailing(int windows, long count, double sumScore) {
    public double meanCount() {
      return windows == 0 ? 0 : (double) count / windows;
    }

    public double meanScore() {
      return count == 0 ? 0 : sumScore / count;
    }
  }

  public static List<Alert> evaluate(AlertRule rule, Instant start, Instant end, WindowStats w, Trailing trailing,
      Instant now) {
    List<Alert> alerts = new ArrayList<>();
    if (w.count == 0) return alerts;
    double ratio = (double) w.negative / w.count;
    boolean byRatio = w.count >= rule.minVolume() && ratio >= rule.negativeRatio();
    boolean byKeywords = w.keywordPosts >= rule.keywordPostsNeeded();
    if (byRatio || byKeywords) {
      Map<String, Double> m = metrics(w);
      m.put("negativeRatio", ratio);
      m.put("crisisKeywordPosts", (double) w.keywordPosts);
      m.put("minVolume", (double) rule.minVolume());
      alerts.add(Alert.of(AlertKind.CRISIS, rule.pipeline(), start, end, m, rule.negativeRatio(),
          w.evidence(rule.evidenceLimit(), !byKeywords), now));
    }
    boolean history = trailing.windows() >= rule.minHistoryWindows();
    if (history && w.count >= rule.minVolume() && w.count >= rule.spikeFactor() * trailing.meanCount()) {
      Map<String, Double> m = metrics(w);
      m.put("baseline", trailing.meanCount());
      m.put("factor", w.count / Math.max(trailing.meanCount(), 1.0)); // finite for JSON when all trailing were silent
      alerts.add(Alert.of(AlertKind.SPIKE, rule.pipeline(), start, end, m, rule.spikeFactor(),
          w.evidence(rule.evidenceLimit(), false), now));
    }
    if (history && w.count >= rule.minVolume() && trailing.count() >= rule.minVolume()
        && Math.abs(w.meanScore() - trailing.meanScore()) >= rule.trendDelta()) {
      Map<String, Double> m = metrics(w);
      m.put("baselineMeanScore", trailing.meanScore());
      m.put("delta", w.meanScore() - trailing.meanScore());
      alerts.add(Alert.of(AlertKind.TREND_SHIFT, rule.pipeline(), start, end, m, rule.trendDelta(),
          w.evidence(rule.evidenceLimit(), w.meanScore() < trailing.meanScore()), now));
    }
    return alerts;
  }

  private static Map<String, Double> metrics(WindowStats w) {
    Map<String, Double> m = new LinkedHashMap<>();
    m.put("count", (double) w.count);
    m.put("meanScore", w.meanScore());
    return m;
  }
}
