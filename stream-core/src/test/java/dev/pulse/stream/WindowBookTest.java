package dev.pulse.stream;

import static dev.pulse.stream.AlertFixtures.RULE;
import static dev.pulse.stream.AlertFixtures.crisisWindow;
import static dev.pulse.stream.AlertFixtures.normalWindow;
import static dev.pulse.stream.AlertFixtures.scored;
import static dev.pulse.stream.AlertFixtures.windowStart;
import static org.assertj.core.api.Assertions.assertThat;

import dev.pulse.event.Aggregate;
import dev.pulse.event.Alert;
import dev.pulse.event.AlertKind;
import dev.pulse.event.Label;
import dev.pulse.event.ScoredPost;
import dev.pulse.event.Source;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Windows, aggregates and the alert rule as pure functions (the Spark query wraps exactly these). */
class WindowBookTest {
  private static final Instant NOW = Instant.parse("2026-11-25T00:00:00Z");
  private static final String ROLLUP = WindowBook.key("*", "*");

  private static List<WindowBook.Closed> feed(String key, List<ScoredPost> posts, int closeBefore) {
    WindowBook book = new WindowBook();
    for (ScoredPost p : posts) {
      if (WindowBook.keysOf(p.post()).contains(key)) book.add(p, p.post().ingestedAt().toEpochMilli(), RULE);
    }
    return book.close(windowStart(closeBefore).toEpochMilli(), key, RULE, NOW);
  }

  private static List<Alert> alerts(List<WindowBook.Closed> closed) {
    return closed.stream().flatMap(c -> c.alerts().stream()).toList();
  }

  @Test
  void aggregatesCountMeanLabelsAndTermsPerKey() {
    List<WindowBook.Closed> closed = feed(ROLLUP, normalWindow(0), 1);
    assertThat(closed).hasSize(1);
    Aggregate a = closed.get(0).aggregate();
    assertThat(a.windowStart()).isEqualTo(windowStart(0));
    assertThat(a.windowEnd()).isEqualTo(windowStart(1));
    assertThat(a.count()).isEqualTo(10);
    assertThat(a.negative()).isEqualTo(3);
    assertThat(a.neutral()).isEqualTo(4);
    assertThat(a.positive()).isEqualTo(3);
    assertThat(a.meanScore()).isEqualTo(0.0);
    assertThat(a.topTerms().get(0).count()).isEqualTo(10);
    assertThat(a.topTerms()).extracting(t -> t.term()).contains("checkout", "works", "fine", "today", "neutral");

    Aggregate paris = feed(WindowBook.key("*", "48,2"), normalWindow(0), 1).get(0).aggregate();
    assertThat(paris.geoCell()).isEqualTo("48,2");
    assertThat(paris.count()).isEqualTo(5);
    Aggregate reddit = feed(WindowBook.key("REDDIT", "*"), normalWindow(0), 1).get(0).aggregate();
    assertThat(reddit.source()).isEqualTo("REDDIT");
    assertThat(reddit.count()).isEqualTo(5);
    assertThat(feed(WindowBook.key("X", "*"), normalWindow(0), 1).get(0).alerts())
        .as("only the roll-up raises alerts").isEmpty();
  }

  @Test
  void normalTrafficRaisesNoAlert() {
    List<ScoredPost> posts = new ArrayList<>();
    for (int w = 0; w < 8; w++) posts.addAll(normalWindow(w));
    List<WindowBook.Closed> closed = feed(ROLLUP, posts, 8);
    assertThat(closed).hasSize(8);
    assertThat(alerts(closed)).isEmpty();
  }

  @Test
  void aCrisisEpisodeRaisesACrisisWithTheNegativePostsAsEvidence() {
    List<ScoredPost> posts = new ArrayList<>(crisisWindow(0));
    List<Alert> alerts = alerts(feed(ROLLUP, posts, 1));
    assertThat(alerts).hasSize(1);
    Alert a = alerts.get(0);
    assertThat(a.kind()).isEqualTo(AlertKind.CRISIS);
    assertThat(a.windowStart()).isEqualTo(windowStart(0));
    assertThat(a.threshold()).isEqualTo(0.6);
    assertThat(a.metrics()).containsEntry("count", 12.0).containsEntry("negativeRatio", 10 / 12.0);
    assertThat(a.evidencePostIds()).as("most negative first")
        .containsExactly("c9", "c8", "c7", "c6", "c5", "c4", "c3", "c2", "c1", "c0");
  }

  @Test
  void crisisKeywordsRaiseACrisisBelowTheRatio() {
    List<ScoredPost> posts = new ArrayList<>(normalWindow(0));
    for (int i = 0; i < 3; i++) {
      posts.add(scored("k" + i, 0, 50 + i, Source.X, null, "Is this a RECALL of the phone?", Label.NEUTRAL, 0));
    }
    List<Alert> alerts = alerts(feed(ROLLUP, posts, 1));
    assertThat(alerts).extracting(Alert::kind).containsExactly(AlertKind.CRISIS);
    assertThat(alerts.get(0).evidencePostIds()).startsWith("k0", "k1", "k2");
    assertThat(alerts.get(0).metrics()).containsEntry("crisisKeywordPosts", 3.0);
  }

  @Test
  void aVolumeSpikeOverTheTrailingMeanRaisesASpike() {
    List<ScoredPost> posts = new ArrayList<>();
    for (int w = 0; w < 4; w++) posts.addAll(normalWindow(w));
    for (int k = 0; k < 3; k++) {
      for (ScoredPost p : normalWindow(4)) {
        posts.add(scored(p.post().id() + "-" + k, 4, k * 10 + posts.size() % 7, p.post().source(), p.post().geo(),
            p.post().text(), p.label(), p.score()));
      }
    }
    List<WindowBook.Closed> closed = feed(ROLLUP, posts, 5);
    List<Alert> alerts = alerts(closed);
    assertThat(alerts).extracting(Alert::kind).containsExactly(AlertKind.SPIKE);
    Alert spike = alerts.get(0);
    assertThat(spike.windowStart()).isEqualTo(windowStart(4));
    assertThat(spike.metrics()).containsEntry("count", 30.0).containsEntry("baseline", 10.0);
    assertThat(spike.evidencePostIds()).hasSize(10);
  }

  @Test
  void aColdStartIsNotASpike() {
    List<ScoredPost> posts = new ArrayList<>(normalWindow(0));
    for (int k = 0; k < 4; k++) {
      for (ScoredPost p : normalWindow(1)) {
        posts.add(scored(p.post().id() + "-" + k, 1, 3, Source.X, null, "hello", Label.NEUTRAL, 0));
      }
    }
    assertThat(alerts(feed(ROLLUP, posts, 2))).isEmpty();
  }

  @Test
  void aPostForAClosedWindowIsLate() {
    WindowBook book = new WindowBook();
    ScoredPost early = normalWindow(0).get(0);
    book.add(early, early.post().ingestedAt().toEpochMilli(), RULE);
    book.close(windowStart(1).toEpochMilli(), ROLLUP, RULE, NOW);
    book.add(normalWindow(0).get(1), normalWindow(0).get(1).post().ingestedAt().toEpochMilli(), RULE);
    assertThat(book.late()).isEqualTo(1);
    assertThat(book.nextDeadline(RULE)).isEqualTo(-1);
  }
}
