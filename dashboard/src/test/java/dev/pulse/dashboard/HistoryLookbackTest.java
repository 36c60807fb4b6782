package dev.pulse.dashboard;

import static dev.pulse.dashboard.KafkaTestSupport.sendAt;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pulse.event.Label;
import dev.pulse.event.ScoredBy;
import dev.pulse.event.Source;
import dev.pulse.testsupport.kafka.KafkaTopics;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.servlet.context.ServletWebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Honest history: a (re)started dashboard reads its topics from exactly its look-back ago (by record timestamp), so
 * it shows everything within it and nothing older, and refuses a window longer than it can fill, naming the limit.
 */
class HistoryLookbackTest {
  private static final String PIPELINE = "lookback";
  private static final String SCORED = "pulse.pipeline.test.lookback.scored";
  private static final String AGGREGATES = "pulse.pipeline.test.lookback.aggregates";
  private static final String ALERTS = "pulse.pipeline.test.lookback.alerts";
  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void aRestartedDashboardRebuildsExactlyItsLookback() throws Exception {
    KafkaTopics.ensure(KafkaTestSupport.broker().bootstrapServers(), List.of(SCORED, AGGREGATES, ALERTS), 1);
    Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    Instant old = now.minus(Duration.ofHours(3));
    Instant recent = now.minus(Duration.ofMinutes(5));
    for (Instant at : List.of(old, recent)) {
      sendAt(AGGREGATES, "agg", Records.aggregate(PIPELINE, at, "*", "*", 1, 2, 3, 0.2, List.of()), at.toEpochMilli());
      sendAt(SCORED, "p", Records.scored("x:lb-" + at.getEpochSecond(), Source.X, "Lumen at " + at, Label.POSITIVE,
          0.5, null, at, ScoredBy.LIGHT, null), at.toEpochMilli());
    }

    try (ConfigurableApplicationContext oneHour = start("1h")) {
      JsonNode series = await(oneHour, "/api/pipelines/lookback/series?window=1h", n -> n.size() >= 1);
      assertThat(series).hasSize(1);
      assertThat(series.get(0).get("windowStart").asText()).isEqualTo(recent.toString());
      JsonNode posts = get(oneHour, "/api/pipelines/lookback/posts?size=10");
      assertThat(posts.get("items").findValuesAsText("id")).containsExactly("x:lb-" + recent.getEpochSecond());
      JsonNode share = get(oneHour, "/api/pipelines/lookback/share?window=1h");
      assertThat(share.get("totals").get(0).get("count").asLong()).isEqualTo(1);
      JsonNode coverage = get(oneHour, "/api/pipelines/lookback/coverage");
      assertThat(coverage.get("windowLimit").asText()).isEqualTo("1h");
      assertThat(coverage.get("windows").toString()).isEqualTo("[\"5m\",\"15m\",\"30m\",\"1h\"]");
      assertThat(Instant.parse(coverage.get("aggregatesFrom").asText())).isEqualTo(recent);
      HttpResponse<String> tooLong = raw(oneHour, "/api/pipelines/lookback/series?window=6h");
      assertThat(tooLong.statusCode()).isEqualTo(400);
      assertThat(JSON.readTree(tooLong.body()).get("message").asText()).contains("limit of 1h");
    }
    try (ConfigurableApplicationContext sixHours = start("6h")) {
      JsonNode series = await(sixHours, "/api/pipelines/lookback/series?window=6h", n -> n.size() >= 2);
      assertThat(series).hasSize(2);
      assertThat(series.get(0).get("windowStart").asText()).isEqualTo(old.toString());
      JsonNode share = get(sixHours, "/api/pipelines/lookback/share?window=6h");
      assertThat(share.get("totals").get(0).get("count").asLong()).isEqualTo(2);
    }
  }

  private static ConfigurableApplicationContext start(String lookback) {
    return new SpringApplicationBuilder(DashboardApplication.class).run("--server.port=0",
        "--pulse.dashboard.pipeline=" + PIPELINE, "--pulse.dashboard.kafka.scored-topic=" + SCORED,
        "--pulse.dashboard.kafka.aggregates-topic=" + AGGREGATES, "--pulse.dashboard.kafka.alerts-topic=" + ALERTS,
        "--pulse.dashboard.kafka.bootstrap-servers=" + KafkaTestSupport.broker().bootstrapServers(),
        "--pulse.dashboard.vectors.embedder=none", "--pulse.dashboard.brands=Lumen",
        "--pulse.dashboard.history.lookback=" + lookback, "--spring.main.banner-mode=off");
  }

  private JsonNode await(ConfigurableApplicationContext ctx, String path, java.util.function.Predicate<JsonNode> ready)
      throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    JsonNode last = null;
    while (System.nanoTime() < deadline) {
      HttpResponse<String> r = raw(ctx, path);
      if (r.statusCode() == 200 && ready.test(last = JSON.readTree(r.body()))) {
        // Give a record that should not be there the same chance to arrive as the one that should.
        Thread.sleep(500);
        return get(ctx, path);
      }
      Thread.sleep(100);
    }
    throw new AssertionError(path + " never got ready: " + last);
  }

  private JsonNode get(ConfigurableApplicationContext ctx, String path) throws Exception {
    HttpResponse<String> r = raw(ctx, path);
    assertThat(r.statusCode()).as(path + ": " + r.body()).isEqualTo(200);
    return JSON.readTree(r.body());
  }

  private HttpResponse<String> raw(ConfigurableApplicationContext ctx, String path) throws Exception {
    int port = ((ServletWebServerApplicationContext) ctx).getWebServer().getPort();
    return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
