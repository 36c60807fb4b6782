package dev.pulse.dashboard.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pulse.dashboard.Records;
import dev.pulse.event.Aggregate;
import dev.pulse.event.Alert;
import dev.pulse.event.AlertKind;
import dev.pulse.event.Geo;
import dev.pulse.event.Label;
import dev.pulse.event.Post;
import dev.pulse.event.ScoredPost;
import dev.pulse.event.Source;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/** The local run's windows and crisis rule, on crafted traffic. */
class LocalRulesTest {
  private static final Predicate<ScoredPost> CRISIS_WORD = p -> p.post().text().contains("outage");
  private final Instant t0 = Instant.parse("2026-11-24T10:00:00Z");

  @Test
  void aWindowYieldsTheRollUpAndOneRowPerSourceAndCountry() {
    WindowAggregator windows = new WindowAggregator("demo", Duration.ofSeconds(10));
    windows.add(post("a", Source.X, "great crew", Label.POSITIVE, 0.8, "GB", t0.plusSeconds(1)));
    windows.add(post("b", Source.REDDIT, "lost luggage again", Label.NEGATIVE, -0.6, "GB", t0.plusSeconds(2)));
    windows.add(post("c", Source.X, "timetable update", Label.NEUTRAL, 0.0, null, t0.plusSeconds(3)));
    windows.add(post("d", Source.X, "next window", Label.NEUTRAL, 0.0, null, t0.plusSeconds(12)));

    assertThat(windows.close(t0.plusSeconds(10), Duration.ofMillis(500))).as("still open within the grace").isEmpty();
    var closed = windows.close(t0.plusSeconds(11), Duration.ofMillis(500));
    assertThat(closed).hasSize(1);
    List<Aggregate> rows = closed.get(0).rows();
    assertThat(rows).extracting(a -> a.source() + "/" + a.geoCell())
        .containsExactly("*/*", "REDDIT/*", "X/*", "*/GB");
    Aggregate all = rows.get(0);
    assertThat(all.count()).isEqualTo(3);
    assertThat(all.negative()).isEqualTo(1);
    assertThat(all.meanScore()).isEqualTo((0.8 - 0.6) / 3, org.assertj.core.data.Offset.offset(1e-9));
    assertThat(all.topTerms()).extracting(t -> t.term()).contains("luggage", "crew", "timetable");
  }

  @Test
  void crisisFiresOnceOnANegativeSurgeAndNotOnNormalTraffic() {
    CrisisRule rule = new CrisisRule("demo", 3, 30, 0.6, 3.0, Duration.ofMinutes(2));
    List<Alert> fired = new ArrayList<>();
    for (int w = 0; w < 8; w++) {
      fired.addAll(rule.evaluate(window(w, 40, 0.25, false), t0.plusSeconds(10L * w + 10), CRISIS_WORD));
    }
    assertThat(fired).as("normal traffic: a quarter negative").isEmpty();
    for (int w = 8; w < 14; w++) {
      fired.addAll(rule.evaluate(window(w, 40, 0.5, true), t0.plusSeconds(10L * w + 10), CRISIS_WORD));
    }
    assertThat(fired).hasSize(1);
    Alert crisis = fired.get(0);
    assertThat(crisis.kind()).isEqualTo(AlertKind.CRISIS);
    assertThat(crisis.metrics().get("negativeRatio")).isGreaterThanOrEqualTo(0.6);
    assertThat(crisis.evidencePostIds()).isNotEmpty().allMatch(id -> id.contains("-neg-"));
  }

  @Test
  void aVolumeSpikeFiresSpike() {
    CrisisRule rule = new CrisisRule("demo", 3, 30, 0.6, 3.0, Duration.ofMinutes(2));
    List<Alert> fired = new ArrayList<>();
    for (int w = 0; w < 8; w++) {
      fired.addAll(rule.evaluate(window(w, 20, 0.2, false), t0.plusSeconds(10L * w + 10), CRISIS_WORD));
    }
    fired.addAll(rule.evaluate(window(8, 90, 0.2, false), t0.plusSeconds(90), CRISIS_WORD));
    assertThat(fired).extracting(Alert::kind).containsExactly(AlertKind.SPIKE);
  }

  /** A closed window of n posts, a share of them negative (naming the outage when crisis is set). */
  private WindowAggregator.ClosedWindow window(int index, int n, double negativeShare, boolean crisis) {
    WindowAggregator windows = new WindowAggregator("demo", Duration.ofSeconds(10));
    Instant start = t0.plusSeconds(10L * index);
    for (int i = 0; i < n; i++) {
      boolean negative = i < n * negativeShare;
      boolean outage = crisis && i < n * 0.8;
      windows.add(post("w" + index + (negative || outage ? "-neg-" : "-ok-") + i, Source.X,
          outage ? "flights grounded by the outage" : negative ? "rude staff" : "fine flight",
          negative ? Label.NEGATIVE : Label.NEUTRAL, negative ? -0.7 : 0.1, null, start.plusMillis(i)));
    }
    return windows.close(start.plusSeconds(20), Duration.ZERO).get(0);
  }

  private static ScoredPost post(String id, Source source, String text, Label label, double score, String country,
      Instant ingested) {
    ScoredPost s = Records.scored(id, source, text, label, score, country == null ? null : new Geo(null, null, country, null));
    Post p = s.post().withIngestedAt(ingested);
    return ScoredPost.of(p, s.label(), s.score(), s.confidence(), s.tier(), false, null, ingested);
  }
}
