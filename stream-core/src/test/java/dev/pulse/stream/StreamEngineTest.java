package dev.pulse.stream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pulse.event.Aggregate;
import dev.pulse.event.Alert;
import dev.pulse.event.AlertKind;
import dev.pulse.event.EventJson;
import dev.pulse.event.Geo;
import dev.pulse.event.Label;
import dev.pulse.event.Post;
import dev.pulse.event.ScoredPost;
import dev.pulse.event.Source;
import dev.pulse.event.ScoredBy;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

/**
 * The stream core as ./pulse local drives it ({@link StreamEngine}), on crafted traffic: windows per key, top terms,
 * dedup, dead letters and the pipeline's alert rules (what LocalRulesTest checked of the local run's former copies).
 * Scoring is a stand-in that labels by text, so the windows and rules are what is under test.
 */
class StreamEngineTest {
  private static final Instant T0 = Instant.parse("2026-11-24T10:00:00Z");
  private long offset;

  /** Labels by a word of the text: "rude"/"lost"/"grounded" negative, "great" positive, else neutral. */
  private static final PostScorer BY_TEXT = (posts, now) -> posts.stream().map(p -> {
    String t = p.text();
    Label l = t.contains("rude") || t.contains("lost") || t.contains("grounded") ? Label.NEGATIVE
        : t.contains("great") ? Label.POSITIVE : Label.NEUTRAL;
    double score = l == Label.NEGATIVE ? -0.7 : l == Label.POSITIVE ? 0.8 : 0.1;
    return ScoredPost.of(p, l, score, 0.9, ScoredBy.LIGHT, false, null, now);
  }).toList();

  private static PipelineSettings settings() {
    Map<String, String> c = new HashMap<>(PipelineSettingsTest.operatorConf());
    c.put("spark.pulse.crisis.window", "10s");
    c.put("spark.pulse.crisis.minVolume", "30");
    c.put("spark.pulse.crisis.negativeRatio", "0.6");
    c.put("spark.pulse.crisis.spikeFactor", "3.0");
    c.put("spark.pulse.aggregates.lateness", "2s");
    c.put("spark.pulse.glossary", "{\"terms\":[],\"crisisKeywords\":[\"outage\"]}");
    return PipelineSettings.from(c);
  }

  private static StreamEngine engine() {
    PipelineSettings s = settings();
    return new StreamEngine(s, new PostProcessor(s.pipeline(), BY_TEXT, null, VectorSink.NONE),
        Clock.fixed(T0, ZoneOffset.UTC));
  }

  private StreamEngine.Record record(String id, Source source, String text, String country, Instant ingested) {
    Post p = Post.of(id, source, "northwind-replay", "a1b2c3", text, "en", ingested.minusSeconds(30), ingested,
        "https://example.com/" + id, country == null ? null : new Geo(null, null, country, null), null);
    return new StreamEngine.Record(EventJson.toBytes(p), "feed", 0, offset++, ingested.toEpochMilli());
  }

  @Test
  void aWindowYieldsTheRollUpAndOneRowPerSourceAndPlaceOnceTheWatermarkPassesIt() {
    StreamEngine engine = engine();
    StreamEngine.Output first = engine.process(List.of(
        record("a", Source.X, "great crew", "GB", T0.plusSeconds(1)),
        record("b", Source.REDDIT, "lost luggage again", "GB", T0.plusSeconds(2)),
        record("c", Source.X, "timetable update", null, T0.plusSeconds(3)),
        record("d", Source.X, "next window", null, T0.plusSeconds(11))));
    assertThat(first.scored()).hasSize(4);
    assertThat(first.aggregates()).as("the watermark (11 s - 2 s) has not passed the window's end").isEmpty();

    StreamEngine.Output second = engine.process(List.of(record("e", Source.X, "later", null, T0.plusSeconds(12))));
    assertThat(second.aggregates()).extracting(a -> a.source() + "/" + a.geoCell())
        .containsExactlyInAnyOrder("*/*", "REDDIT/*", "X/*", "*/GB");
    Aggregate all = second.aggregates().stream().filter(a -> a.source().equals("*") && a.geoCell().equals("*"))
        .findFirst().orElseThrow();
    assertThat(all.count()).isEqualTo(3);
    assertThat(all.negative()).isEqualTo(1);
    assertThat(all.meanScore()).isEqualTo((0.8 - 0.7 + 0.1) / 3, Offset.offset(1e-9));
    assertThat(all.topTerms()).extracting(t -> t.term()).contains("luggage", "crew", "timetable");
    assertThat(second.records()).filteredOn(o -> o.topic().equals(settings().aggregatesTopic()))
        .extracting(StreamEngine.Out::key).contains("*|*|" + T0);
  }

  @Test
  void topTermsAreTheTenMostFrequentWithoutStopWords() {
    StreamEngine engine = engine();
    List<StreamEngine.Record> batch = new ArrayList<>();
    for (int i = 0; i < 15; i++) {
      batch.add(record("p" + i, Source.X, "the and with term" + (char) ('a' + i) + " again", null,
          T0.plusMillis(100L * i)));
    }
    engine.process(batch);
    Aggregate all = engine.process(List.of(record("z", Source.X, "tick", null, T0.plusSeconds(30)))).aggregates()
        .stream().filter(a -> a.source().equals("*")).findFirst().orElseThrow();
    assertThat(all.topTerms()).hasSize(10).noneMatch(t -> List.of("the", "and", "with", "again").contains(t.term()));
  }

  @Test
  void aRepeatedPostIsScoredOnceAndAnInvalidRecordIsADeadLetter() {
    StreamEngine engine = engine();
    StreamEngine.Record post = record("a", Source.X, "great crew", null, T0.plusSeconds(1));
    StreamEngine.Record again = new StreamEngine.Record(post.value(), "feed", 0, offset++, post.timestampMillis());
    StreamEngine.Record junk = new StreamEngine.Record("{not json".getBytes(StandardCharsets.UTF_8), "feed", 0,
        offset++, post.timestampMillis());
    StreamEngine.Output out = engine.process(List.of(post, again, junk));
    assertThat(out.scored()).extracting(s -> s.post().id()).containsExactly("a");
    assertThat(out.deadLetters()).isEqualTo(1);
    assertThat(out.records()).filteredOn(o -> o.topic().equals(settings().deadLetterTopic())).hasSize(1);
    assertThat(engine.repeats()).isEqualTo(1);
  }

  @Test
  void crisisFiresOnTheSurgeOnlyAndCrisisWordsMatchAsWords() {
    StreamEngine engine = engine();
    List<Alert> fired = new ArrayList<>();
    for (int w = 0; w < 8; w++) fired.addAll(engine.process(window(w, 40, 0.25, "outages and routage")).alerts());
    assertThat(fired).as("normal traffic, a quarter negative; 'outages' is not the word 'outage'").isEmpty();
    for (int w = 8; w < 11; w++) fired.addAll(engine.process(window(w, 40, 0.5, "flights grounded by the outage")).alerts());
    fired.addAll(engine.process(List.of(record("z", Source.X, "tick", null, T0.plusSeconds(200)))).alerts());
    List<Alert> crises = fired.stream().filter(a -> a.kind() == AlertKind.CRISIS).toList();
    assertThat(crises).as("one per crisis window").hasSize(3);
    assertThat(crises).allSatisfy(a -> {
      assertThat(a.metrics().get("crisisKeywordPosts")).isGreaterThanOrEqualTo(6.0);
      assertThat(a.evidencePostIds()).isNotEmpty().allMatch(id -> id.contains("-neg-"));
    });
  }

  @Test
  void aVolumeSpikeFiresSpike() {
    StreamEngine engine = engine();
    List<Alert> fired = new ArrayList<>();
    for (int w = 0; w < 8; w++) fired.addAll(engine.process(window(w, 20, 0.2, null)).alerts());
    fired.addAll(engine.process(window(8, 90, 0.2, null)).alerts());
    fired.addAll(engine.process(List.of(record("z", Source.X, "tick", null, T0.plusSeconds(200)))).alerts());
    assertThat(fired).extracting(Alert::kind).containsExactly(AlertKind.SPIKE);
  }

  /** n posts in 10-second window {@code index}, a share of them negative ("rude"), the first 80% naming {@code crisis}. */
  private List<StreamEngine.Record> window(int index, int n, double negativeShare, String crisis) {
    List<StreamEngine.Record> out = new ArrayList<>();
    Instant start = T0.plusSeconds(10L * index);
    for (int i = 0; i < n; i++) {
      boolean negative = i < n * negativeShare;
      boolean named = crisis != null && i < n * 0.8;
      String text = (named ? crisis + " " : "") + (negative ? "rude staff" : "fine flight");
      out.add(record("w" + index + (negative || named ? "-neg-" : "-ok-") + i, Source.X, text, null,
          start.plusMillis(i)));
    }
    return out;
  }
}
