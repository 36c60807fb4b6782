package dev.pulse.stream;

import java.io.Serializable;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * The pipeline's crisis rule (SentimentPipeline {@code spec.scoring.crisis} and the glossary's crisis keywords),
 * plus the constants that make it concrete:
 * <ul>
 *   <li>CRISIS: a window with {@code count ≥ minVolume} and {@code negative/count ≥ negativeRatio}; or with at least
 *       {@code max(3, ⌈keywordShare·minVolume⌉)} posts naming a crisis keyword, whatever the ratio;</li>
 *   <li>SPIKE: {@code count ≥ minVolume} and {@code count ≥ spikeFactor ×} the mean count of the trailing windows
 *       (up to {@code trailingWindows}, counting silent ones as 0, and at least {@code minHistoryWindows} of them
 *       since the first window this job saw, so a cold start is not a spike);</li>
 *   <li>TREND_SHIFT: {@code count ≥ minVolume}, the trailing windows held ≥ minVolume posts, and the mean score moved
 *       by at least {@code trendDelta} from theirs.</li>
 * </ul>
 */
public record AlertRule(
    String pipeline,
    Duration window,
    long minVolume,
    double negativeRatio,
    double spikeFactor,
    List<String> crisisKeywords,
    int trailingWindows,
    int minHistoryWindows,
    double keywordShare,
    double trendDelta,
    int evidenceLimit) implements Serializable {

  public AlertRule {
    if (window.isZero() || window.isNegative()) throw new IllegalArgumentException("crisis window must be > 0");
    if (minVolume < 1) throw new IllegalArgumentException("crisis minVolume must be ≥ 1: " + minVolume);
    crisisKeywords = crisisKeywords == null ? List.of()
        : crisisKeywords.stream().map(k -> k.trim().toLowerCase(Locale.ROOT)).filter(k -> !k.isEmpty()).toList();
  }

  /** The rule with Pulse's defaults for what the CRD does not set. */
  public static AlertRule of(String pipeline, Duration window, long minVolume, double negativeRatio,
      double spikeFactor, List<String> crisisKeywords) {
    return new AlertRule(pipeline, window, minVolume, negativeRatio, spikeFactor, crisisKeywords, 12, 3, 0.2, 0.3,
        10);
  }

  long keywordPostsNeeded() {
    return Math.max(3, (long) Math.ceil(keywordShare * minVolume));
  }
}
