package dev.pulse.ingest;

import static dev.pulse.ingest.TestSupport.fixture;
import static org.assertj.core.api.Assertions.assertThat;

import dev.pulse.event.DeadLetter;
import dev.pulse.event.Engagement;
import dev.pulse.event.EventJson;
import dev.pulse.event.Post;
import dev.pulse.event.Source;
import dev.pulse.ingest.StandInServer.Response;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One bad item, one bad feed URL or one oversized record stays on its own: the rest of the poll is delivered, the
 * bad item is counted and dead-lettered with its reason, and the process carries on. Real broker, local stand-ins.
 */
class IsolationTest {
  @TempDir Path dir;
  private StandInServer site;
  private String topic;
  private String deadLetters;

  @BeforeEach
  void setUp() {
    site = new StandInServer();
    topic = "feed-iso-" + UUID.randomUUID();
    deadLetters = topic + ".dead-letters";
    TestSupport.kafka().createTopic(topic, 3);
    TestSupport.kafka().createTopic(deadLetters, 1);
  }

  @AfterEach
  void tearDown() {
    site.close();
  }

  private String kafka() {
    return """
        kafka:
          bootstrapServers: %s
          topic: %s
          deadLetterTopic: %s
        checkpointFile: %s
        metricsPort: -1
        backoff: {initial: 20ms, max: 200ms, maxAttempts: 3}
        """.formatted(TestSupport.kafka().bootstrapServers(), topic, deadLetters, dir.resolve("cursor.json"));
  }

  private List<DeadLetter> deadLetters(int atLeast) {
    return TestSupport.kafka().readAll(deadLetters, atLeast, java.time.Duration.ofSeconds(1)).stream()
        .map(r -> EventJson.read(r.value(), DeadLetter.class)).toList();
  }

  @Test
  void aFeedUrlWithAnIllegalCharacterIsSkippedAndReportedWhileTheOtherFeedsDeliver() throws Exception {
    site.on("/business/rss.xml", Response.xml(fixture("rss/news-rss2.xml"), Map.of()));
    String yaml = """
        feed: acme-news
        type: RSS
        rss:
          allowedNetworks: [127.0.0.1/32]   # the stand-in runs on loopback
          feeds:
            - "%1$s/bad feed|name.xml"
            - %1$s/business/rss.xml
        pollInterval: 10ms
        """.formatted(site.baseUrl()) + kafka();
    try (var logs = new TestSupport.LogCapture(); Ingester ingester = TestSupport.ingester(yaml, Map.of())) {
      ingester.run(2);
      assertThat(ingester.metrics().count("pulse.ingest.failures", "reason", "invalid_url")).isEqualTo(2);
      assertThat(ingester.metrics().count("pulse.ingest.posts.produced")).isEqualTo(2);
      assertThat(ingester.health().ready()).as("one good feed keeps the ingester ready").isTrue();
      assertThat(logs.all()).contains("skipping feed URL " + site.baseUrl() + "/bad feed|name.xml");
    }
    assertThat(TestSupport.kafka().readPosts(topic, 2)).hasSize(2);
  }

  @Test
  void anRssFeedListOfOnlyInvalidUrlsFailsEachPollWithoutEndingTheProcess() throws Exception {
    String yaml = """
        feed: acme-news
        type: RSS
        rss:
          allowedNetworks: [127.0.0.1/32]   # the stand-in runs on loopback
          feeds: ["http://exa mple.com/rss", "ftp://example.com/rss", "http:///no-host"]
        pollInterval: 10ms
        """ + kafka();
    try (Ingester ingester = TestSupport.ingester(yaml, Map.of())) {
      ingester.run(2);
      assertThat(ingester.metrics().count("pulse.ingest.failures", "reason", "invalid_url")).isEqualTo(6);
      assertThat(ingester.metrics().count("pulse.ingest.failures", "reason", "malformed")).isEqualTo(2);
      assertThat(ingester.health().ready()).isFalse();
    }
  }

  @Test
  void anXPostMissingAFieldIsDeadLetteredAndTheRestOfThePollDelivered() throws Exception {
    String page = """
        {"data": [
          {"id": "1861003000000000003", "text": "acme support fixed it fast", "created_at": "2026-11-24T22:10:05.000Z",
           "lang": "en", "author_id": "1"},
          {"id": "1861003000000000002", "text": "acme no timestamp here", "lang": "en", "author_id": "2"},
          {"id": "1861003000000000001", "text": "acme outage again", "created_at": "2026-11-24T22:09:00.000Z",
           "lang": "en", "author_id": "3"}
        ],
        "meta": {"newest_id": "1861003000000000003", "oldest_id": "1861003000000000001", "result_count": 3}}""";
    site.on("/2/tweets/search/recent", Response.json(200, page), Response.json(200, fixture("x/search-empty.json")));
    String yaml = """
        feed: acme-x
        type: X
        x:
          query: acme
          apiUrl: %s
        pollInterval: 10ms
        """.formatted(site.baseUrl()) + kafka();
    try (Ingester ingester = TestSupport.ingester(yaml, Map.of(Ingester.X_BEARER_TOKEN, "t0ken"))) {
      ingester.run(2);
      assertThat(ingester.metrics().count("pulse.ingest.posts.produced")).isEqualTo(2);
      assertThat(ingester.metrics().count("pulse.ingest.failures", "reason", "invalid_record")).isEqualTo(1);
      assertThat(ingester.metrics().count("pulse.ingest.dead.letters", "reason", "invalid_record")).isEqualTo(1);
    }
    assertThat(TestSupport.kafka().readPosts(topic, 2)).extracting(Post::id)
        .containsExactlyInAnyOrder("x:1861003000000000003", "x:1861003000000000001");
    assertThat(site.requests("/2/tweets/search/recent").get(1).param("since_id"))
        .as("the cursor moved past the bad post: it is not fetched and rejected again").isEqualTo("1861003000000000003");
    DeadLetter dead = deadLetters(1).get(0);
    assertThat(dead.error()).contains("x post 1861003000000000002").contains("created_at");
    assertThat(new String(dead.original(), StandardCharsets.UTF_8)).contains("acme no timestamp here");
    assertThat(dead.sourceTopic()).isEqualTo(topic);
  }

  @Test
  void aRedditPostMissingAFieldIsDeadLetteredAndTheRestOfTheListingDelivered() throws Exception {
    String listing = """
        {"kind": "Listing", "data": {"after": null, "before": null, "children": [
          {"kind": "t3", "data": {"name": "t3_good1", "title": "acme is fine", "selftext": "", "created_utc": 1764022800.0,
            "author": "a", "score": 1, "num_comments": 0, "permalink": "/r/acme/comments/good1/"}},
          {"kind": "t3", "data": {"name": "t3_bad", "title": "acme without a time", "author": "b"}},
          {"kind": "t3", "data": {"title": "no name at all", "created_utc": 1764022801.0}},
          {"kind": "t3", "data": {"name": "t3_good2", "title": "acme again", "selftext": "body", "created_utc": 1764022700.0,
            "author": "c", "score": 2, "num_comments": 1, "permalink": "/r/acme/comments/good2/"}}
        ]}}""";
    site.on("/api/v1/access_token", Response.json(200, fixture("reddit/token.json")));
    site.on("/r/acme/new", Response.json(200, listing), Response.json(200, fixture("reddit/empty.json")));
    String yaml = """
        feed: acme-reddit
        type: REDDIT
        reddit:
          subreddits: [acme]
          userAgent: "linux:dev.pulse.ingest:v0.1.0 (by /u/pulse-bot)"
          authUrl: %1$s/api/v1/access_token
          apiUrl: %1$s
        pollInterval: 10ms
        """.formatted(site.baseUrl()) + kafka();
    Map<String, String> env = Map.of(Ingester.REDDIT_CLIENT_ID, "id", Ingester.REDDIT_CLIENT_SECRET, "s3cret");
    try (Ingester ingester = TestSupport.ingester(yaml, env)) {
      ingester.run(2);
      assertThat(ingester.metrics().count("pulse.ingest.posts.produced")).isEqualTo(2);
      assertThat(ingester.metrics().count("pulse.ingest.failures", "reason", "invalid_record")).isEqualTo(2);
    }
    assertThat(TestSupport.kafka().readPosts(topic, 2)).extracting(Post::id)
        .containsExactlyInAnyOrder("reddit:t3_good1", "reddit:t3_good2");
    assertThat(deadLetters(2)).extracting(DeadLetter::error).anySatisfy(e -> assertThat(e).contains("t3_bad")
        .contains("created_utc")).anySatisfy(e -> assertThat(e).contains("without name"));
    assertThat(site.requests("/r/acme/new").get(1).param("before")).isEqualTo("t3_good1");
  }

  private static Post post(String id, String text) {
    Instant t = Instant.parse("2026-11-24T20:00:00Z");
    return Post.of(id, Source.REPLAY, "recorded", null, text, "en", t, t, null, null, Engagement.NONE);
  }

  private static String randomText(int chars, long seed) {
    Random random = new Random(seed);
    StringBuilder s = new StringBuilder(chars);
    for (int i = 0; i < chars; i++) {
      s.append((char) ('a' + random.nextInt(26)));
      if (i % 7 == 6) {
        s.append(' ');
      }
    }
    return s.toString();
  }

  private String replayConfig(Path file) {
    return """
        feed: replay
        type: REPLAY
        replay:
          file: %s
          rate: 0
          batchSize: 100
        """.formatted(file) + kafka();
  }

  @Test
  void aPostOverTheProducersSizeLimitIsDeadLetteredTruncatedAndTheBatchDelivered() throws Exception {
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      lines.add(EventJson.toJson(post("replay:" + i, i == 7 ? randomText(1_500_000, 7) : "acme post " + i)));
    }
    Path file = dir.resolve("posts.jsonl");
    Files.write(file, lines);
    try (Ingester ingester = TestSupport.ingester(replayConfig(file), Map.of())) {
      ingester.run(5);
      assertThat(ingester.metrics().count("pulse.ingest.posts.produced")).isEqualTo(19);
      assertThat(ingester.metrics().count("pulse.ingest.failures", "reason", "too_large")).isEqualTo(1);
      assertThat(ingester.metrics().count("pulse.ingest.failures", "reason", "produce")).isZero();
    }
    assertThat(TestSupport.kafka().readPosts(topic, 19)).hasSize(19).extracting(Post::id)
        .doesNotContain("replay:7");
    DeadLetter dead = deadLetters(1).get(0);
    assertThat(dead.error()).contains("post replay:7").contains("max.request.size")
        .containsPattern("truncated to its first 65536 of 1[0-9]{6} bytes");
    assertThat(dead.original()).hasSize(DeadLetters.MAX_ORIGINAL_BYTES);
  }

  /**
   * The broker refuses one record (the topic's max.message.bytes is below the producer's limit): the transaction is
   * aborted, the record dead-lettered and the rest sent again. What the aborted attempt wrote is invisible to
   * read_committed readers, so every other post arrives exactly once.
   */
  @Test
  void aRecordTheBrokerRefusesIsDeadLetteredAndTheRestArriveExactlyOnce() throws Exception {
    String small = "feed-iso-small-" + UUID.randomUUID();
    Properties p = new Properties();
    p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, TestSupport.kafka().bootstrapServers());
    try (Admin admin = Admin.create(p)) {
      admin.createTopics(List.of(new NewTopic(small, 3, (short) 1).configs(Map.of("max.message.bytes", "20000"))))
          .all().get();
    }
    TestSupport.kafka().createTopic(small, 3); // waits for the partitions' leaders
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      lines.add(EventJson.toJson(post("replay:" + i, i == 30 ? randomText(60_000, 30) : "acme post " + i)));
    }
    Path file = dir.resolve("posts.jsonl");
    Files.write(file, lines);
    String yaml = replayConfig(file).replace("topic: " + topic, "topic: " + small);
    try (Ingester ingester = TestSupport.ingester(yaml, Map.of())) {
      ingester.run(5);
      assertThat(ingester.metrics().count("pulse.ingest.posts.produced")).isEqualTo(59);
      assertThat(ingester.metrics().count("pulse.ingest.failures", "reason", "too_large")).isEqualTo(1);
    }
    List<ConsumerRecord<String, byte[]>> records = TestSupport.kafka().readAll(small, 59,
        java.time.Duration.ofSeconds(2));
    Map<String, Long> counts = records.stream().collect(Collectors.groupingBy(ConsumerRecord::key,
        Collectors.counting()));
    assertThat(counts).hasSize(59).doesNotContainKey("replay:30");
    assertThat(counts.values()).as("each post exactly once").allMatch(n -> n == 1);
    DeadLetter dead = deadLetters(1).get(0);
    assertThat(dead.error()).contains("post replay:30").contains("max.message.bytes");
  }

  @Test
  void withoutADeadLetterTopicABadItemIsStillSkippedCountedAndLogged() throws Exception {
    List<String> lines = List.of(EventJson.toJson(post("replay:a", "acme one")), "{\"not\": \"a post\"}",
        EventJson.toJson(post("replay:b", "acme two")));
    Path file = dir.resolve("posts.jsonl");
    Files.write(file, lines);
    String yaml = replayConfig(file).replace("  deadLetterTopic: " + deadLetters + "\n", "");
    try (var logs = new TestSupport.LogCapture(); Ingester ingester = TestSupport.ingester(yaml, Map.of())) {
      ingester.run(3);
      assertThat(ingester.metrics().count("pulse.ingest.posts.produced")).isEqualTo(2);
      assertThat(ingester.metrics().count("pulse.ingest.failures", "reason", "invalid_record")).isEqualTo(1);
      assertThat(ingester.metrics().count("pulse.ingest.dead.letters", "reason", "invalid_record")).isZero();
      assertThat(logs.all()).contains("line 2 skipped (no dead-letter topic configured)");
    }
  }

}
