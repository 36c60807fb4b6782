package dev.pulse.ingest;

import static dev.pulse.ingest.TestSupport.fixture;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pulse.event.Post;
import dev.pulse.event.Source;
import dev.pulse.ingest.StandInServer.Response;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The X ingester against a stand-in of X API v2 recent search and a real (embedded KRaft) Kafka broker. */
class XIngesterTest {
  private static final String TOKEN = "AAAAAAAAAAAAAAAAAAAAAbearer-SHOULD-NOT-LEAK-77";
  private static final String SEARCH = "/2/tweets/search/recent";
  private static final Map<String, String> ENV = Map.of(Ingester.X_BEARER_TOKEN, TOKEN);

  @TempDir Path dir;
  private StandInServer x;
  private String topic;

  @BeforeEach
  void setUp() {
    x = new StandInServer();
    topic = "feed-x-" + UUID.randomUUID();
  }

  @AfterEach
  void tearDown() {
    x.close();
  }

  private String config(String extra) {
    return """
        feed: acme-x
        type: X
        x:
          query: "acme -is:retweet"
          apiUrl: %s
          maxPages: 5
        pollInterval: 10ms
        filters:
          languages: [en]
        kafka:
          bootstrapServers: %s
          topic: %s
        checkpointFile: %s
        metricsPort: -1
        backoff: {initial: 20ms, max: 200ms, maxAttempts: 4}
        %s""".formatted(x.baseUrl(), TestSupport.kafka().bootstrapServers(), topic, dir.resolve("cursor.json"), extra);
  }

  @Test
  void pagesWithNextTokenThenPollsWithSinceIdAndNeverResendsAfterRestart() throws Exception {
    x.on(SEARCH, Response.json(200, fixture("x/search-page1.json")), Response.json(200, fixture("x/search-page2.json")),
        Response.json(200, fixture("x/search-since.json")), Response.json(200, fixture("x/search-empty.json")));
    try (var logs = new TestSupport.LogCapture()) {
      try (Ingester ingester = TestSupport.ingester(config(""), ENV)) {
        ingester.run(2);
        assertThat(ingester.metrics().count("pulse.ingest.posts.filtered", "reason", "language")).isEqualTo(1);
      }
      try (Ingester restarted = TestSupport.ingester(config(""), ENV)) {
        restarted.run(1);
      }
      assertThat(logs.all()).doesNotContain(TOKEN).doesNotContain("bearer-SHOULD-NOT-LEAK");
    }

    List<StandInServer.Request> requests = x.requests(SEARCH);
    assertThat(requests).hasSize(4);
    StandInServer.Request first = requests.get(0);
    assertThat(first.headers().getFirst("Authorization")).isEqualTo("Bearer " + TOKEN);
    assertThat(first.param("query")).isEqualTo("acme -is:retweet");
    assertThat(first.param("tweet.fields")).isEqualTo("created_at,lang,geo,public_metrics,author_id");
    assertThat(first.param("expansions")).isEqualTo("geo.place_id");
    assertThat(first.param("since_id")).isNull();
    assertThat(requests.get(1).param("next_token")).isEqualTo("b26v89c19zqg8o3fpdv8x8gkqrh9l2gnm3x4xq1fz0y3h");
    assertThat(requests.get(2).param("since_id")).isEqualTo("1861002000000000003");
    assertThat(requests.get(3).param("since_id")).as("the restarted ingester resumes from the checkpoint")
        .isEqualTo("1861002000000000007");

    List<Post> posts = TestSupport.kafka().readPosts(topic, 3);
    assertThat(posts).extracting(Post::id)
        .containsExactlyInAnyOrder("x:1861002000000000003", "x:1861002000000000002", "x:1861002000000000007");
    Post located = posts.stream().filter(p -> p.id().equals("x:1861002000000000003")).findFirst().orElseThrow();
    assertThat(located.source()).isEqualTo(Source.X);
    assertThat(located.feed()).isEqualTo("acme-x");
    assertThat(located.createdAt()).isEqualTo(Instant.parse("2026-11-24T22:10:05Z"));
    assertThat(located.geo().lat()).isEqualTo(40.7484);
    assertThat(located.geo().lon()).isEqualTo(-73.9857);
    assertThat(located.geo().country()).isEqualTo("US");
    assertThat(located.geo().place()).isEqualTo("Manhattan, NY");
    assertThat(located.engagement().likes()).isEqualTo(27);
    assertThat(located.engagement().views()).isEqualTo(1502);
    assertThat(located.authorHash()).hasSize(32).doesNotContain("2244994945");
    Post placeOnly = posts.stream().filter(p -> p.id().equals("x:1861002000000000002")).findFirst().orElseThrow();
    assertThat(placeOnly.geo().place()).isEqualTo("Lakewood, CO");
    assertThat(placeOnly.geo().lat()).isCloseTo((39.60973 + 39.761974) / 2, within(1e-9));
    assertThat(new ObjectMapper().readTree(dir.resolve("cursor.json").toFile()).path("sinceId").asText())
        .isEqualTo("1861002000000000007");
  }

  @Test
  void aPollThatRunsOutOfPagesCarriesOnWithItsNextTokenBeforeMovingSinceId() throws Exception {
    Files.writeString(dir.resolve("cursor.json"), "{\"sinceId\":\"1861001999999999999\"}");
    x.on(SEARCH, Response.json(200, fixture("x/search-page1.json")), Response.json(200, fixture("x/search-page2.json")),
        Response.json(200, fixture("x/search-empty.json")));
    try (Ingester ingester = TestSupport.ingester(config("").replace("maxPages: 5", "maxPages: 1"), ENV)) {
      ingester.run(3);
    }
    List<StandInServer.Request> requests = x.requests(SEARCH);
    assertThat(requests).extracting(r -> r.param("since_id"))
        .containsExactly("1861001999999999999", "1861001999999999999", "1861002000000000003");
    assertThat(requests).extracting(r -> r.param("next_token"))
        .containsExactly(null, "b26v89c19zqg8o3fpdv8x8gkqrh9l2gnm3x4xq1fz0y3h", null);
    assertThat(TestSupport.kafka().readPosts(topic, 2)).extracting(Post::id)
        .containsExactlyInAnyOrder("x:1861002000000000003", "x:1861002000000000002");
  }

  @Test
  void waitsForXRateLimitResetOn429() throws Exception {
    long reset = Instant.now().getEpochSecond() + 2;
    x.on(SEARCH, Response.json(429, fixture("x/error-429.json")).withHeader("x-rate-limit-reset", Long.toString(reset))
            .withHeader("x-rate-limit-remaining", "0").withHeader("x-rate-limit-limit", "450"),
        Response.json(200, fixture("x/search-since.json")));
    try (Ingester ingester = TestSupport.ingester(config(""), ENV)) {
      ingester.run(1);
      assertThat(ingester.metrics().count("pulse.ingest.http.responses", "status", "429")).isEqualTo(1);
      assertThat(ingester.metrics().count("pulse.ingest.posts.produced")).isEqualTo(1);
    }
    List<StandInServer.Request> requests = x.requests(SEARCH);
    assertThat(requests).hasSize(2);
    assertThat(requests.get(1).at()).as("retried no earlier than x-rate-limit-reset")
        .isAfterOrEqualTo(Instant.ofEpochSecond(reset).minusMillis(20));
    assertThat(TestSupport.kafka().readPosts(topic, 1)).hasSize(1);
  }

  @Test
  void malformedJsonIsCountedAndKeepsTheCursor() throws Exception {
    Files.writeString(dir.resolve("cursor.json"), "{\"sinceId\":\"1861002000000000003\"}");
    x.on(SEARCH, Response.json(200, "{\"data\": [ {\"id\": \"186100"),
        Response.json(503, "{\"title\":\"Service Unavailable\"}").withHeader("Retry-After", "0"),
        Response.json(200, fixture("x/search-since.json")));
    try (var logs = new TestSupport.LogCapture(); Ingester ingester = TestSupport.ingester(config(""), ENV)) {
      ingester.run(2);
      assertThat(ingester.metrics().count("pulse.ingest.failures", "reason", "malformed")).isEqualTo(1);
      assertThat(ingester.metrics().count("pulse.ingest.http.responses", "status", "503")).isEqualTo(1);
      assertThat(logs.all()).contains("malformed JSON").doesNotContain(TOKEN);
    }
    List<StandInServer.Request> requests = x.requests(SEARCH);
    assertThat(requests).extracting(r -> r.param("since_id")).containsOnly("1861002000000000003");
    assertThat(TestSupport.kafka().readPosts(topic, 1)).extracting(Post::id).containsExactly("x:1861002000000000007");
  }

  @Test
  void unauthorizedIsReportedWithoutTheToken() throws Exception {
    x.on(SEARCH, Response.json(401, fixture("x/error-401.json")));
    try (var logs = new TestSupport.LogCapture(); Ingester ingester = TestSupport.ingester(config(""), ENV)) {
      ingester.run(1);
      assertThat(ingester.metrics().count("pulse.ingest.failures", "reason", "fetch")).isEqualTo(1);
      assertThat(logs.all()).contains("HTTP 401").contains("Unauthorized").doesNotContain(TOKEN);
    }
    assertThat(dir.resolve("cursor.json")).doesNotExist();
  }
}
