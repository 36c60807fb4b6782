package dev.pulse.dashboard;

import static dev.pulse.dashboard.KafkaTestSupport.AGGREGATES;
import static dev.pulse.dashboard.KafkaTestSupport.ALERTS;
import static dev.pulse.dashboard.KafkaTestSupport.PIPELINE;
import static dev.pulse.dashboard.KafkaTestSupport.SCORED;
import static dev.pulse.dashboard.KafkaTestSupport.send;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pulse.event.Geo;
import dev.pulse.event.Label;
import dev.pulse.event.ScoredPost;
import dev.pulse.event.Source;
import dev.pulse.event.TermCount;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The backend against a real KRaft broker: records produced to the topics come out of REST and the WebSocket. */
@AutoConfigureObservability
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
    "pulse.dashboard.pipeline=" + PIPELINE,
    "pulse.dashboard.kafka.scored-topic=" + SCORED,
    "pulse.dashboard.kafka.aggregates-topic=" + AGGREGATES,
    "pulse.dashboard.kafka.alerts-topic=" + ALERTS,
    "pulse.dashboard.vectors.embedder=hashing",
    "pulse.dashboard.api.max-page-size=100",
    "pulse.dashboard.brands=Northwind Air=northwind air|northwindair,Lumen Coffee=lumen"})
class DashboardApiTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient http = HttpClient.newHttpClient();

  @LocalServerPort
  int port;

  @DynamicPropertySource
  static void kafka(DynamicPropertyRegistry registry) {
    registry.add("pulse.dashboard.kafka.bootstrap-servers", () -> KafkaTestSupport.broker().bootstrapServers());
  }

  @Test
  void seriesSourcesAndTermsComeFromTheAggregates() throws Exception {
    Instant start = Instant.now().truncatedTo(ChronoUnit.SECONDS).minusSeconds(60);
    send(AGGREGATES, "a", Records.aggregate(PIPELINE, start, "*", "*", 2, 3, 5, 0.3,
        List.of(new TermCount("legroom", 7), new TermCount("delay", 4))));
    send(AGGREGATES, "b", Records.aggregate(PIPELINE, start.plusSeconds(10), "*", "*", 6, 2, 2, -0.4,
        List.of(new TermCount("delay", 9))));
    send(AGGREGATES, "c", Records.aggregate(PIPELINE, start, "X", "*", 1, 1, 4, 0.5, List.of()));
    send(AGGREGATES, "d", Records.aggregate(PIPELINE, start, "REDDIT", "*", 1, 2, 1, 0.0, List.of()));
    send(AGGREGATES, "e", Records.aggregate(PIPELINE, start, "*", "GB", 3, 0, 0, -0.9, List.of()));

    JsonNode series = awaitJson("/api/pipelines/northwind/series?window=15m", n -> n.size() >= 2);
    assertThat(series.get(0).get("count").asLong()).isEqualTo(10);
    assertThat(series.get(1).get("meanScore").asDouble()).isEqualTo(-0.4);
    JsonNode gb = getJson("/api/pipelines/northwind/series?window=15m&geo=GB");
    assertThat(gb).hasSize(1);
    assertThat(gb.get(0).get("negative").asLong()).isEqualTo(3);
    assertThat(getJson("/api/pipelines/northwind/series?window=15m&source=x").get(0).get("positive").asLong())
        .isEqualTo(4);

    JsonNode sources = getJson("/api/pipelines/northwind/sources?window=15m");
    assertThat(sources.findValuesAsText("source")).contains("X", "REDDIT");

    JsonNode terms = getJson("/api/pipelines/northwind/terms?window=15m");
    assertThat(terms.get(0).get("term").asText()).isEqualTo("delay");
    assertThat(terms.get(0).get("count").asLong()).isEqualTo(13);
  }

  @Test
  void recentPostsArePagedAndFiltered() throws Exception {
    String tag = UUID.randomUUID().toString().substring(0, 8);
    for (int i = 0; i < 7; i++) {
      boolean negative = i % 2 == 0;
      send(SCORED, "p" + i, Records.scored("x:" + tag + "-" + i, negative ? Source.X : Source.REDDIT,
          "Northwind Air flight " + i + (negative ? " delayed again, awful" : " was lovely"),
          negative ? Label.NEGATIVE : Label.POSITIVE, negative ? -0.7 : 0.8,
          new Geo(51.5, -0.12, "GB", "London")));
    }
    JsonNode all = awaitJson("/api/pipelines/northwind/posts?size=100",
        n -> n.get("items").findValuesAsText("id").contains("x:" + tag + "-6"));
    assertThat(all.get("items").get(0).get("id").asText()).isEqualTo("x:" + tag + "-6");

    JsonNode page = getJson("/api/pipelines/northwind/posts?size=2&page=1");
    assertThat(page.get("items")).hasSize(2);
    assertThat(page.get("total").asInt()).isGreaterThanOrEqualTo(7);

    JsonNode negatives = getJson("/api/pipelines/northwind/posts?size=100&sentiment=negative");
    assertThat(negatives.get("items").findValuesAsText("label")).containsOnly("NEGATIVE");
    JsonNode reddit = getJson("/api/pipelines/northwind/posts?size=100&source=REDDIT");
    assertThat(reddit.get("items").findValuesAsText("source")).containsOnly("REDDIT").isNotEmpty();

    JsonNode geo = getJson("/api/pipelines/northwind/geo?window=1h");
    assertThat(geo.findValuesAsText("place")).contains("London");
  }

  @Test
  void similarPostsComeFromTheVectorStore() throws Exception {
    String tag = UUID.randomUUID().toString().substring(0, 8);
    send(SCORED, "s1", Records.scored("x:" + tag + "-a", Source.X, "lost luggage at Heathrow terminal baggage belt",
        Label.NEGATIVE, -0.6, null));
    send(SCORED, "s2", Records.scored("x:" + tag + "-b", Source.X, "my luggage was lost at the Heathrow baggage belt",
        Label.NEGATIVE, -0.6, null));
    send(SCORED, "s3", Records.scored("x:" + tag + "-c", Source.X, "great cabin crew and tasty breakfast onboard",
        Label.POSITIVE, 0.8, null));
    // Posts are embedded asynchronously and other tests' posts share the store: wait until -b has been indexed
    // (it then has to rank first).
    JsonNode similar = awaitJson("/api/pipelines/northwind/posts/x:" + tag + "-a/similar?k=2",
        n -> n.isArray() && n.size() == 2 && n.findValuesAsText("id").contains("x:" + tag + "-b"));
    assertThat(similar.get(0).get("post").get("id").asText()).isEqualTo("x:" + tag + "-b");
    assertThat(similar.get(0).get("similarity").asDouble())
        .isGreaterThan(similar.get(1).get("similarity").asDouble());
  }

  @Test
  void anAlertIsPushedOverTheWebSocketWithinASecondAndListedWithItsEvidence() throws Exception {
    BlockingQueue<String> messages = new LinkedBlockingQueue<>();
    WebSocket ws = http.newWebSocketBuilder().buildAsync(URI.create("ws://localhost:" + port + "/ws"),
        new Collector(messages)).get(5, TimeUnit.SECONDS);
    assertThat(messages.poll(5, TimeUnit.SECONDS)).contains("hello");

    String tag = UUID.randomUUID().toString().substring(0, 8);
    send(SCORED, "e1", Records.scored("x:" + tag + "-ev", Source.X, "Northwind grounded every flight, outage",
        Label.NEGATIVE, -0.9, null));
    awaitJson("/api/pipelines/northwind/posts?size=100",
        n -> n.get("items").findValuesAsText("id").contains("x:" + tag + "-ev"));

    Instant start = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    long sent = System.nanoTime();
    send(ALERTS, "crisis", Records.crisis(PIPELINE, start, List.of("x:" + tag + "-ev")));
    String alert = null;
    while (alert == null) {
      String m = messages.poll(1, TimeUnit.SECONDS);
      assertThat(m).as("an alert message within 1 s").isNotNull();
      if (m.contains("\"type\":\"alert\"")) {
        alert = m;
      }
    }
    long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sent);
    assertThat(millis).isLessThan(1000);
    JsonNode pushed = JSON.readTree(alert).get("data");
    assertThat(pushed.get("kind").asText()).isEqualTo("CRISIS");
    assertThat(pushed.get("explanation").asText()).contains("80% negative");
    assertThat(pushed.get("evidence").get(0).get("text").asText()).contains("grounded");

    JsonNode listed = getJson("/api/pipelines/northwind/alerts");
    assertThat(listed.findValuesAsText("evidencePostIds").toString()).isNotNull();
    assertThat(listed.get(0).get("evidence").findValuesAsText("id")).contains("x:" + tag + "-ev");
    ws.sendClose(WebSocket.NORMAL_CLOSURE, "done");
  }

  @Test
  void invalidRecordsAreSkippedAndCounted() throws Exception {
    send(SCORED, "bad", "{\"schemaVersion\":1,\"nonsense\":true}".getBytes(StandardCharsets.UTF_8));
    String tag = UUID.randomUUID().toString().substring(0, 8);
    send(SCORED, "ok", Records.scored("x:" + tag, Source.X, "fine flight", Label.POSITIVE, 0.5, null));
    awaitJson("/api/pipelines/northwind/posts?size=100", n -> n.get("items").findValuesAsText("id").contains("x:" + tag));
    String metrics = get("/actuator/prometheus").body();
    // Every meter carries the pipeline's tag (Prometheus orders labels by name).
    assertThat(metrics).contains("pulse_dashboard_records_invalid_total{application=\"pulse-dashboard\",pipeline=\""
        + PIPELINE + "\",topic=\"" + SCORED + "\"} 1.0");
  }

  @Test
  void badRequestsGetA4xxWithAJsonMessageAndNoStackTrace() throws Exception {
    assertError("/api/pipelines/nope/series", 404, "unknown pipeline 'nope'");
    assertError("/api/pipelines/northwind/series?window=banana", 400, "window 'banana' is not a duration");
    assertError("/api/pipelines/northwind/series?window=30d", 400,
        "window 30d is longer than the dashboard's limit of 24h (the history it keeps): ask for 24h or less");
    assertError("/api/pipelines/northwind/series?brand=Acme", 400,
        "unknown brand 'Acme': this pipeline tracks Northwind Air, Lumen Coffee");
    assertError("/api/pipelines/northwind/posts?from=yesterday", 400, "from 'yesterday' is not an instant");
    assertError("/api/pipelines/northwind/posts?term=two%20words", 400, "must be one word");
    assertError("/api/pipelines/northwind/posts?cell=london", 400, "is not a map cell");
    assertError("/api/pipelines/northwind/posts/export?format=xml", 400, "format 'xml' is not csv or json");
    assertError("/api/pipelines/northwind/alerts/nope/explain", 405, "");
    assertError("/api/pipelines/northwind/series?source=MASTODON", 400, "unknown source 'MASTODON'");
    assertError("/api/pipelines/northwind/series?geo=%3Cscript%3E", 400, "is not a geo cell");
    assertError("/api/pipelines/northwind/posts?size=5000", 400, "size must be between 1 and 100");
    assertError("/api/pipelines/northwind/posts?page=-1", 400, "page must be 0 or more");
    assertError("/api/pipelines/northwind/posts?page=abc", 400, "parameter 'page' has an invalid value 'abc'");
    assertError("/api/pipelines/northwind/posts?sentiment=angry", 400, "unknown sentiment 'angry'");
    assertError("/api/pipelines/northwind/posts/x:never/similar", 404, "no recent post with id 'x:never'");
    assertError("/api/nothing-here", 404, "no such resource");
  }

  @Test
  void brandsDrillDownAndExportAnswerForExactlyThePostsAsked() throws Exception {
    String tag = UUID.randomUUID().toString().substring(0, 8);
    Instant now = Instant.now();
    // Three Lumen posts (one in Paris, one older than the window asked below) and one Northwind post.
    send(SCORED, "l1", Records.scored("x:" + tag + "-l1", Source.X, "Lumen oat latte, \"great\", but pricey",
        Label.POSITIVE, 0.6, new Geo(48.85, 2.35, "FR", "Paris"), now, dev.pulse.event.ScoredBy.LLM,
        "praise with a caveat"));
    send(SCORED, "l2", Records.scored("x:" + tag + "-l2", Source.REDDIT, "=cmd| Lumen queue was slow", Label.NEGATIVE,
        -0.5, null, now, dev.pulse.event.ScoredBy.LIGHT, null));
    send(SCORED, "l3", Records.scored("x:" + tag + "-l3", Source.RSS, "Lumen opens a shop", Label.NEUTRAL, 0, null,
        now.minusSeconds(3600), dev.pulse.event.ScoredBy.LIGHT, null));
    send(SCORED, "n1", Records.scored("x:" + tag + "-n1", Source.X, "#NorthwindAir lost my latte", Label.NEGATIVE,
        -0.7, null, now, dev.pulse.event.ScoredBy.LIGHT, null));
    awaitJson("/api/pipelines/northwind/posts?size=100", n -> n.get("items").findValuesAsText("id").containsAll(
        List.of("x:" + tag + "-l1", "x:" + tag + "-l2", "x:" + tag + "-l3", "x:" + tag + "-n1")));

    JsonNode lumen = getJson("/api/pipelines/northwind/posts?size=100&brand=lumen%20coffee");
    assertThat(lumen.get("items").findValuesAsText("id")).containsExactly(
        "x:" + tag + "-l3", "x:" + tag + "-l2", "x:" + tag + "-l1");
    JsonNode l1 = lumen.get("items").get(2);
    assertThat(l1.get("tier").asText()).isEqualTo("LLM");
    assertThat(l1.get("rationale").asText()).isEqualTo("praise with a caveat");
    assertThat(l1.get("url").asText()).isEqualTo("https://example.com/x:" + tag + "-l1");
    assertThat(getJson("/api/pipelines/northwind/posts?size=100&brand=Northwind%20Air&term=latte")
        .get("items").findValuesAsText("id")).containsExactly("x:" + tag + "-n1");
    assertThat(getJson("/api/pipelines/northwind/posts?size=100&cell=49,3").get("items").findValuesAsText("id"))
        .containsExactly("x:" + tag + "-l1");
    String since = now.minusSeconds(60).toString();
    JsonNode recent = getJson("/api/pipelines/northwind/posts?size=100&brand=Lumen%20Coffee&from=" + since);
    assertThat(recent.get("total").asInt()).isEqualTo(2);

    // Share of voice over the last 15 minutes: the older Lumen post is outside it.
    JsonNode share = getJson("/api/pipelines/northwind/share?window=15m");
    JsonNode l = share.get("totals").get(1);
    assertThat(l.get("brand").asText()).isEqualTo("Lumen Coffee");
    assertThat(l.get("count").asLong()).isEqualTo(2);
    assertThat(l.get("net").asDouble()).isEqualTo(0.0);
    long all = share.get("totals").get(0).get("count").asLong() + 2;
    assertThat(l.get("share").asDouble()).isEqualTo(2.0 / all);
    assertThat(getJson("/api/pipelines/northwind/series?window=15m&brand=Lumen%20Coffee").get(0).get("count")
        .asLong()).isEqualTo(2);

    // The CSV export: the same posts in the same order as the API, quoted, a formula-like text defused.
    HttpResponse<String> csv = get("/api/pipelines/northwind/posts/export?format=csv&brand=Lumen%20Coffee");
    assertThat(csv.headers().firstValue("Content-Disposition")).hasValue(
        "attachment; filename=\"pulse-northwind-posts.csv\"");
    List<String> lines = List.of(csv.body().split("\r\n"));
    assertThat(lines.get(0)).startsWith("id,ingestedAt,createdAt,source,feed,brands,country,place,label,score");
    assertThat(lines).hasSize(4);
    assertThat(lines.get(2)).startsWith("x:" + tag + "-l2,").contains(",'=cmd| Lumen queue was slow,");
    assertThat(lines.get(3)).startsWith("x:" + tag + "-l1,").contains(",Lumen Coffee,FR,Paris,POSITIVE,0.6000,")
        .contains(",LLM,true,https://example.com/x:" + tag + "-l1,\"Lumen oat latte, \"\"great\"\", but pricey\",");
    JsonNode json = JSON.readTree(get("/api/pipelines/northwind/posts/export?format=json&brand=Lumen%20Coffee").body());
    assertThat(json.findValuesAsText("id")).isEqualTo(lumen.get("items").findValuesAsText("id"));

    JsonNode coverage = getJson("/api/pipelines/northwind/coverage");
    assertThat(coverage.get("windows").toString()).isEqualTo("[\"5m\",\"15m\",\"30m\",\"1h\",\"6h\",\"12h\",\"24h\"]");
    assertThat(coverage.get("brands").toString()).isEqualTo("[\"Northwind Air\",\"Lumen Coffee\"]");
    assertThat(coverage.get("gateway").asBoolean()).isFalse();
  }

  @Test
  void statusSaysLocal() throws Exception {
    JsonNode status = getJson("/api/pipelines/northwind/status");
    assertThat(status.get("mode").asText()).isEqualTo("local");
    assertThat(status.get("conditions").get(0).get("type").asText()).isEqualTo("Ready");
  }

  private void assertError(String path, int status, String message) throws Exception {
    HttpResponse<String> r = get(path);
    assertThat(r.statusCode()).as(path).isEqualTo(status);
    assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).contains("json"));
    JsonNode body = JSON.readTree(r.body());
    assertThat(body.get("message").asText()).as(path).contains(message);
    assertThat(r.body()).doesNotContain("Exception").doesNotContain("\tat ").doesNotContain("trace");
  }

  private HttpResponse<String> get(String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private JsonNode getJson(String path) throws Exception {
    HttpResponse<String> r = get(path);
    assertThat(r.statusCode()).as(path + " → " + r.body()).isEqualTo(200);
    return JSON.readTree(r.body());
  }

  /** Polls until the answer satisfies the condition (records take a moment to arrive through Kafka). */
  private JsonNode awaitJson(String path, Predicate<JsonNode> ready) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    JsonNode last = null;
    while (System.nanoTime() < deadline) {
      HttpResponse<String> r = get(path);
      if (r.statusCode() == 200) {
        last = JSON.readTree(r.body());
        if (ready.test(last)) {
          return last;
        }
      }
      Thread.sleep(100);
    }
    throw new AssertionError("timed out waiting on " + path + "; last answer: " + last);
  }

  static final class Collector implements WebSocket.Listener {
    private final BlockingQueue<String> messages;
    private final StringBuilder partial = new StringBuilder();

    Collector(BlockingQueue<String> messages) {
      this.messages = messages;
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
      partial.append(data);
      if (last) {
        messages.add(partial.toString());
        partial.setLength(0);
      }
      webSocket.request(1);
      return null;
    }
  }
}
