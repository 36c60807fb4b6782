package dev.pulse.ingest;

import static dev.pulse.ingest.TestSupport.fixture;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pulse.event.Post;
import dev.pulse.event.Source;
import dev.pulse.ingest.StandInServer.Response;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Reddit ingester against a stand-in of Reddit's OAuth token endpoint and listings, and a real Kafka broker. */
class RedditIngesterTest {
  private static final String CLIENT_ID = "p-jcoLKBynTLew";
  private static final String CLIENT_SECRET = "gko_LXELoV07ZBNUXrvWZfzE3aI-SHOULD-NOT-LEAK";
  private static final String USER_AGENT = "linux:dev.pulse.ingest:v0.1.0 (by /u/pulse-bot)";
  private static final String TOKEN_PATH = "/api/v1/access_token";
  private static final String NEW = "/r/acme/new";
  private static final String SEARCH = "/r/acme/search";
  private static final Map<String, String> ENV =
      Map.of(Ingester.REDDIT_CLIENT_ID, CLIENT_ID, Ingester.REDDIT_CLIENT_SECRET, CLIENT_SECRET);

  @TempDir Path dir;
  private StandInServer reddit;
  private String topic;

  @BeforeEach
  void setUp() {
    reddit = new StandInServer();
    topic = "feed-reddit-" + UUID.randomUUID();
  }

  @AfterEach
  void tearDown() {
    reddit.close();
  }

  private String config() {
    return """
        feed: acme-reddit
        type: REDDIT
        reddit:
          subreddits: [acme]
          query: "acme outage"
          userAgent: "%s"
          authUrl: %s%s
          apiUrl: %s
        pollInterval: 10ms
        kafka:
          bootstrapServers: %s
          topic: %s
        checkpointFile: %s
        metricsPort: -1
        backoff: {initial: 20ms, max: 200ms, maxAttempts: 4}
        """.formatted(USER_AGENT, reddit.baseUrl(), TOKEN_PATH, reddit.baseUrl(),
        TestSupport.kafka().bootstrapServers(), topic, dir.resolve("cursor.json"));
  }

  @Test
  void readsNewAndSearchListingsThenOnlyNewerPostsWithBeforeCursors() throws Exception {
    reddit.on(TOKEN_PATH, Response.json(200, fixture("reddit/token.json")));
    reddit.on(NEW,
        Response.json(503, "{\"message\": \"Service Unavailable\", \"error\": 503}").withHeader("Retry-After", "0"),
        Response.json(200, fixture("reddit/new-page1.json")).withHeader("X-Ratelimit-Remaining", "0.0")
            .withHeader("X-Ratelimit-Used", "600").withHeader("X-Ratelimit-Reset", "1"),
        Response.json(200, fixture("reddit/new-before.json")).withHeader("X-Ratelimit-Remaining", "590.0"),
        Response.json(200, fixture("reddit/empty.json")));
    reddit.on(SEARCH, Response.json(200, fixture("reddit/search.json")),
        Response.json(200, fixture("reddit/empty.json")));

    try (var logs = new TestSupport.LogCapture()) {
      try (Ingester ingester = TestSupport.ingester(config(), ENV)) {
        ingester.run(1);
        assertThat(ingester.metrics().count("pulse.ingest.http.responses", "status", "503")).isEqualTo(1);
      }
      try (Ingester restarted = TestSupport.ingester(config(), ENV)) {
        restarted.run(1);
      }
      String all = logs.all();
      assertThat(all).contains("rate limit spent");
      String basic = Base64.getEncoder().encodeToString((CLIENT_ID + ":" + CLIENT_SECRET).getBytes(StandardCharsets.UTF_8));
      assertThat(all).doesNotContain(CLIENT_SECRET).doesNotContain("SHOULD-NOT-LEAK").doesNotContain(basic);
    }

    StandInServer.Request token = reddit.requests(TOKEN_PATH).get(0);
    assertThat(token.method()).isEqualTo("POST");
    assertThat(token.body()).isEqualTo("grant_type=client_credentials");
    assertThat(token.headers().getFirst("Authorization")).isEqualTo("Basic " + Base64.getEncoder()
        .encodeToString((CLIENT_ID + ":" + CLIENT_SECRET).getBytes(StandardCharsets.UTF_8)));
    assertThat(token.headers().getFirst("User-Agent")).isEqualTo(USER_AGENT);

    List<StandInServer.Request> news = reddit.requests(NEW);
    assertThat(news).hasSize(4);
    assertThat(news.get(1).headers().getFirst("Authorization"))
        .isEqualTo("Bearer eyJhbGciOiJSUzI1NiJ9.tok-SHOULD-NOT-LEAK-42");
    assertThat(news.get(1).headers().getFirst("User-Agent")).isEqualTo(USER_AGENT);
    assertThat(news.get(1).param("limit")).isEqualTo("100");
    assertThat(news.get(1).param("before")).isNull();
    assertThat(news.get(2).param("before")).as("the restarted ingester asks only for newer posts").isEqualTo("t3_1gz0c3");
    assertThat(news.get(3).param("before")).as("then follows the listing's before").isEqualTo("t3_1gz0d9");

    List<StandInServer.Request> searches = reddit.requests(SEARCH);
    assertThat(searches.get(0).param("q")).isEqualTo("acme outage");
    assertThat(searches.get(0).param("restrict_sr")).isEqualTo("1");
    assertThat(searches.get(0).param("sort")).isEqualTo("new");
    assertThat(Duration.between(news.get(1).at(), searches.get(0).at()))
        .as("X-Ratelimit-Remaining 0 with X-Ratelimit-Reset 1 makes the next request wait a second")
        .isGreaterThanOrEqualTo(Duration.ofMillis(950));
    assertThat(searches.get(1).param("before")).isEqualTo("t3_1gz0a1");

    List<Post> posts = TestSupport.kafka().readPosts(topic, 4);
    assertThat(posts).extracting(Post::id).containsExactlyInAnyOrder(
        "reddit:t3_1gz0c3", "reddit:t3_1gz0b7", "reddit:t3_1gz0a1", "reddit:t3_1gz0d9");
    Post review = posts.stream().filter(p -> p.id().equals("reddit:t3_1gz0c3")).findFirst().orElseThrow();
    assertThat(review.source()).isEqualTo(Source.REDDIT);
    assertThat(review.text()).isEqualTo("Acme X2 review after a month\nBattery is great, the app is terrible.");
    assertThat(review.createdAt()).isEqualTo(Instant.ofEpochSecond(1764022200L));
    assertThat(review.url()).isEqualTo("https://www.reddit.com/r/acme/comments/1gz0c3/acme_x2_review_after_a_month/");
    assertThat(review.engagement().likes()).isEqualTo(41);
    assertThat(review.engagement().replies()).isEqualTo(12);
    assertThat(review.authorHash()).isNotBlank().doesNotContain("happy_user");
    assertThat(posts.stream().filter(p -> p.id().equals("reddit:t3_1gz0b7")).findFirst().orElseThrow().authorHash())
        .as("[deleted] authors have no hash").isNull();
    JsonNode cursor = new ObjectMapper().readTree(dir.resolve("cursor.json").toFile());
    assertThat(cursor.path("new:acme").asText()).isEqualTo("t3_1gz0d9");
    assertThat(cursor.path("search:acme").asText()).isEqualTo("t3_1gz0a1");
  }

  @Test
  void malformedListingIsCountedAndTheCursorIsNotMoved() throws Exception {
    reddit.on(TOKEN_PATH, Response.json(200, fixture("reddit/token.json")));
    reddit.on(NEW, new Response(200, Map.of("Content-Type", "text/html"),
        "<html><body>upstream connect error</body></html>".getBytes(StandardCharsets.UTF_8)),
        Response.json(200, fixture("reddit/new-page1.json")));
    reddit.on(SEARCH, Response.json(200, "{\"kind\": \"Listing\", \"data\": {\"children\": 3}}"),
        Response.json(200, fixture("reddit/search.json")));
    try (Ingester ingester = TestSupport.ingester(config(), ENV)) {
      ingester.run(3);
      assertThat(ingester.metrics().count("pulse.ingest.failures", "reason", "malformed")).isEqualTo(2);
    }
    List<StandInServer.Request> news = reddit.requests(NEW);
    assertThat(news).extracting(r -> r.param("before")).as("no cursor is saved until a whole poll went through")
        .containsExactly(null, null, null);
    assertThat(new ObjectMapper().readTree(dir.resolve("cursor.json").toFile()).path("new:acme").asText())
        .isEqualTo("t3_1gz0c3");
    assertThat(TestSupport.kafka().readPosts(topic, 3)).extracting(Post::id)
        .containsExactlyInAnyOrder("reddit:t3_1gz0c3", "reddit:t3_1gz0b7", "reddit:t3_1gz0a1");
  }

  @Test
  void missingSecretsAreNamedAtStartup() {
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> TestSupport.ingester(config(), Map.of()))
        .hasMessageContaining("REDDIT_CLIENT_ID");
  }
}
