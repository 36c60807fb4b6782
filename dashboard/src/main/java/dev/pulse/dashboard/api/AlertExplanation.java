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
