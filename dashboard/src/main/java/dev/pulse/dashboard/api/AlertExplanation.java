package dev.pulse.dashboard.api;

import dev.pulse.event.Alert;
import java.util.Locale;
import java.util.Map;

/** One sentence a comms analyst can read, built from what made the alert fire. */
final class AlertExplanation {
  private static final java.time.format.DateTimeFormatter TIME =
      java.time.format.DateTimeFormatter.ofPattern("HH:mm:ss 'UTC'").withZone(java.time.ZoneOffset.UTC);

  private AlertExplanation() {}

  static String of(Alert a) {
    Map<String, Double> m = a.metrics();
    String window = "the " + java.time.Duration.between(a.windowStart(), a.windowEnd()).toSeconds() + " s to "
        + TIME.format(a.windowEnd());
    Double ratio = m.get("negativeRatio");
    Double keywordPosts = m.containsKey("crisisKeywordPosts") ? m.get("crisisKeywordPosts") : m.get("crisisHits");
    Double baseline = m.containsKey("baselineMeanScore") ? m.get("baselineMeanScore") : m.get("baseline");
    return switch (a.kind()) {
      case CRISIS -> ratio != null && ratio >= a.threshold()
          ? String.format(Locale.ROOT, "%s negative in %s (%s posts), at or over the %s threshold%s.", percent(ratio),
              window, count(m.get("count")), percent(a.threshold()),
              keywordPosts == null ? "" : "; " + count(keywordPosts) + " posts use crisis words")
          : String.format(Locale.ROOT, "%s posts use crisis words in %s (%s posts, %s negative; the negative-share "
              + "threshold is %s).", count(keywordPosts), window, count(m.get("count")), percent(ratio),
              percent(a.threshold()));
      case SPIKE -> String.format(Locale.ROOT, "Volume %s posts in %s is %s× the trailing average of %s (threshold %s×).",
          count(m.get("count")), window, number(ratio(m.get("count"), m.get("baseline"))), number(m.get("baseline")),
          number(a.threshold()));
      case TREND_SHIFT -> String.format(Locale.ROOT, "Mean sentiment moved from %s to %s in %s (threshold %s).",
          number(baseline), number(m.get("meanScore")), window, number(a.threshold()));
    };
  }

  /** Each condition of the alert's rule, with the metric names the stream core writes. */
  static java.util.List<Views.Check> checks(Alert a) {
    Map<String, Double> m = a.metrics();
    java.util.List<Views.Check> out = new java.util.ArrayList<>();
    switch (a.kind()) {
      case CRISIS -> {
        Double ratio = m.get("negativeRatio");
        out.add(new Views.Check("negativeRatio", "negative share", ratio, a.threshold(), ">=",
            ratio != null && ratio >= a.threshold()));
        if (m.containsKey("minVolume")) {
          Double count = m.get("count");
          out.add(new Views.Check("count", "posts in the window", count, m.get("minVolume"), ">=",
              count != null && count >= m.get("minVolume")));
        }
        Double keyword = m.containsKey("crisisKeywordPosts") ? m.get("crisisKeywordPosts") : m.get("crisisHits");
        if (keyword != null) {
          out.add(new Views.Check("crisisKeywordPosts", "posts with crisis words", keyword, 0, ">", keyword > 0));
        }
      }
      case SPIKE -> {
        Double factor = m.containsKey("factor") ? m.get("factor") : ratio(m.get("count"), m.get("baseline"));
        out.add(new Views.Check("factor", "volume / trailing average", factor, a.threshold(), ">=",
            factor != null && factor >= a.threshold()));
      }
      case TREND_SHIFT -> {
        Double delta = m.containsKey("delta") ? m.get("delta")
            : m.get("meanScore") == null || m.get("baselineMeanScore") == null ? null
            : m.get("meanScore") - m.get("baselineMeanScore");
        out.add(new Views.Check("delta", "change of mean sentiment", delta, a.threshold(), "|x| >=",
            delta != null && Math.abs(delta) >= a.threshold()));
      }
    }
    return out;
  }

  private static Double ratio(Double a, Double b) {
    return a == null || b == null || b == 0 ? null : a / b;
  }

  private static String percent(Double v) {
    return v == null ? "?" : Math.round(v * 100) + "%";
  }

  private static String count(Double v) {
    return v == null ? "?" : String.valueOf(Math.round(v));
  }

  private static String number(Double v) {
    return v == null ? "?" : String.format(Locale.ROOT, "%.2f", v);
  }
}
