package dev.pulse.stream.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pulse.event.AlertKind;
import dev.pulse.event.Engagement;
import dev.pulse.event.Post;
import dev.pulse.event.ScoredPost;
import dev.pulse.event.Source;
import dev.pulse.scoring.SentimentScorer;
import dev.pulse.scoring.glossary.Glossary;
import dev.pulse.stream.AlertFixtures;
import dev.pulse.stream.LightPostScorer;
import dev.pulse.stream.LlmEscalator;
import dev.pulse.stream.PostProcessor;
import dev.pulse.stream.RecordRouter;
import dev.pulse.stream.VectorSink;
import dev.pulse.stream.WindowBook;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The stream meters as Prometheus reads them: each test uses a pipeline name of its own (the registry is one per
 * JVM) and reads the exposition text the /metrics endpoint serves.
 */
class StreamMetricsTest {
  private static final Instant NOW = Instant.parse("2026-11-24T23:00:00Z");

  private static double value(String exposition, String series) {
    Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\S+)$").matcher(exposition);
    return m.find() ? Double.parseDouble(m.group(1)) : Double.NaN;
  }

  private static String scrape() {
    return StreamMetrics.get().scrape();
  }

  @Test
  void aPipelinesCountersStartAtZeroSoTheFirstEventIsARise() {
    StreamMetrics.pipeline("zeroes");
    String text = scrape();
    for (AlertKind k : AlertKind.values()) {
      assertThat(value(text, "pulse_alerts_total{kind=\"" + k + "\",pipeline=\"zeroes\"}")).isEqualTo(0.0);
    }
    assertThat(value(text, "pulse_dead_letters_total{pipeline=\"zeroes\",reason=\"not_json\"}")).isEqualTo(0.0);
    assertThat(value(text, "pulse_llm_fallbacks_total{pipeline=\"zeroes\",reason=\"timeout\"}")).isEqualTo(0.0);
    assertThat(value(text, "pulse_escalations_total{pipeline=\"zeroes\"}")).isEqualTo(0.0);
  }

  @Test
  void deadLettersCountByReasonNeverByText() {
    RecordRouter router = new RecordRouter("dlq");
    router.route("this is not json".getBytes(StandardCharsets.UTF_8), "t", 0, 1, NOW);
    router.route(new byte[0], "t", 0, 2, NOW);
    router.route("{\"schemaVersion\":1,\"id\":42}".getBytes(StandardCharsets.UTF_8), "t", 0, 3, NOW);
    router.route("{\"schemaVersion\":99}".getBytes(StandardCharsets.UTF_8), "t", 0, 4, NOW);
    String text = scrape();
    assertThat(value(text, "pulse_dead_letters_total{pipeline=\"dlq\",reason=\"not_json\"}")).isEqualTo(1.0);
    assertThat(value(text, "pulse_dead_letters_total{pipeline=\"dlq\",reason=\"empty_record\"}")).isEqualTo(1.0);
    assertThat(value(text, "pulse_dead_letters_total{pipeline=\"dlq\",reason=\"invalid_post\"}")).isEqualTo(1.0);
    assertThat(value(text, "pulse_dead_letters_total{pipeline=\"dlq\",reason=\"unsupported_schema\"}")).isEqualTo(1.0);
    assertThat(text).doesNotContain("this is not json");
  }

  @Test
  void scoredPostsCountByFeedLabelAndTierWithTheirLatencyInSeconds() {
    PostProcessor processor = new PostProcessor("scoring",
        new LightPostScorer(SentimentScorer.lexicon(Glossary.EMPTY), false), null, VectorSink.NONE);
    Post a = Post.of("x:1", Source.X, "acme-x", "h", "I love it, wonderful", "en", NOW, NOW.minusMillis(300), null,
        null, Engagement.NONE);
    Post b = Post.of("x:2", Source.X, "acme-x", "h", "terrible, awful, broken", "en", NOW, NOW.minusMillis(300), null,
        null, Engagement.NONE);
    List<ScoredPost> out = processor.process(List.of(a, b), NOW);
    String text = scrape();
    for (ScoredPost s : out) {
      assertThat(value(text, "pulse_posts_scored_total{feed=\"acme-x\",label=\"" + s.label() + "\",pipeline=\"scoring\","
          + "tier=\"LIGHT\"}")).isGreaterThanOrEqualTo(1.0);
    }
    assertThat(value(text, "pulse_ingest_to_scored_seconds_count{pipeline=\"scoring\"}")).isEqualTo(2.0);
    // 300 ms: above the 0.25 s bucket, inside the 0.5 s one.
    assertThat(value(text, "pulse_ingest_to_scored_seconds_bucket{pipeline=\"scoring\",le=\"0.25\"}")).isEqualTo(0.0);
    assertThat(value(text, "pulse_ingest_to_scored_seconds_bucket{pipeline=\"scoring\",le=\"0.5\"}")).isEqualTo(2.0);
    assertThat(text).doesNotContain("wonderful").doesNotContain("x:1");
  }

  @Test
  void anUnreachableGatewayCountsEscalationsAndFallbacks() throws IOException {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort(); // closed again: nothing listens there
    }
    LlmEscalator escalator = new LlmEscalator("http://127.0.0.1:" + port, "escalating", 1.0, Duration.ofSeconds(5),
        10);
    LightPostScorer light = new LightPostScorer(SentimentScorer.lexicon(Glossary.EMPTY), false);
    List<ScoredPost> scored = light.scoreAll(List.of(
        Post.of("x:1", Source.X, "acme-x", "h", "hmm", "en", NOW, NOW, null, null, Engagement.NONE),
        Post.of("x:2", Source.X, "acme-x", "h", "ok", "en", NOW, NOW, null, null, Engagement.NONE)), NOW);
    escalator.escalate(scored, NOW);
    String text = scrape();
    assertThat(value(text, "pulse_escalations_total{pipeline=\"escalating\"}")).isEqualTo(2.0);
    assertThat(value(text, "pulse_llm_fallbacks_total{pipeline=\"escalating\",reason=\"unreachable\"}")).isEqualTo(2.0);
  }

  @Test
  void alertsCountByKindWhenAWindowCloses() {
    WindowBook book = new WindowBook();
    // AlertFixtures.RULE is the pipeline "acme": its crisis window raises one CRISIS alert.
    double before = value(scrape(), "pulse_alerts_total{kind=\"CRISIS\",pipeline=\"acme\"}");
    for (int w = 0; w < 3; w++) {
      for (ScoredPost p : AlertFixtures.normalWindow(w)) {
        book.add(p, p.post().ingestedAt().toEpochMilli(), AlertFixtures.RULE);
      }
    }
    for (ScoredPost p : AlertFixtures.crisisWindow(3)) {
      book.add(p, p.post().ingestedAt().toEpochMilli(), AlertFixtures.RULE);
    }
    long crises = book.close(AlertFixtures.windowStart(5).toEpochMilli(), WindowBook.key(WindowBook.ALL, WindowBook.ALL),
        AlertFixtures.RULE, NOW).stream().flatMap(c -> c.alerts().stream()).filter(a -> a.kind() == AlertKind.CRISIS)
        .count();
    assertThat(crises).isEqualTo(1);
    double after = value(scrape(), "pulse_alerts_total{kind=\"CRISIS\",pipeline=\"acme\"}");
    assertThat(after - (Double.isNaN(before) ? 0 : before)).isEqualTo(1.0);
  }

  @Test
  void theEndpointServesTheTextFormat() throws Exception {
    int port = StreamMetrics.serve(0);
    StreamMetrics.pipeline("served");
    HttpResponse<String> r = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/plain"));
    assertThat(r.body()).contains("# TYPE pulse_alerts_total counter").contains("pipeline=\"served\"");
    assertThat(StreamMetrics.servedPort()).isEqualTo(port);
  }
}
