package dev.pulse.dashboard.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pulse.event.Alert;
import dev.pulse.event.AlertKind;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The sentence under each alert says what actually crossed its threshold, with the metric names the Spark job uses. */
class AlertExplanationTest {
  private final Instant start = Instant.parse("2026-11-24T10:00:00Z");

  @Test
  void aCrisisByNegativeShare() {
    assertThat(explain(AlertKind.CRISIS, Map.of("negativeRatio", 0.72, "count", 240.0, "crisisKeywordPosts", 31.0), 0.6))
        .isEqualTo("72% negative in the 30 s to 10:00:30 UTC (240 posts), at or over the 60% threshold; "
            + "31 posts use crisis words.");
  }

  @Test
  void aCrisisByCrisisWordsDoesNotClaimTheNegativeShareWasCrossed() {
    assertThat(explain(AlertKind.CRISIS, Map.of("negativeRatio", 0.32, "count", 594.0, "crisisKeywordPosts", 22.0), 0.6))
        .isEqualTo("22 posts use crisis words in the 30 s to 10:00:30 UTC (594 posts, 32% negative; the negative-share "
            + "threshold is 60%).");
  }

  @Test
  void spikeAndTrendShift() {
    assertThat(explain(AlertKind.SPIKE, Map.of("count", 300.0, "baseline", 60.0, "factor", 5.0), 3))
        .isEqualTo("Volume 300 posts in the 30 s to 10:00:30 UTC is 5.00× the trailing average of 60.00 (threshold 3.00×).");
    assertThat(explain(AlertKind.TREND_SHIFT, Map.of("meanScore", -0.4, "baselineMeanScore", 0.2, "delta", -0.6), 0.3))
        .isEqualTo("Mean sentiment moved from 0.20 to -0.40 in the 30 s to 10:00:30 UTC (threshold 0.30).");
  }

  private String explain(AlertKind kind, Map<String, Double> metrics, double threshold) {
    return AlertExplanation.of(Alert.of(kind, "demo", start, start.plusSeconds(30), metrics, threshold, List.of(), start));
  }
}
