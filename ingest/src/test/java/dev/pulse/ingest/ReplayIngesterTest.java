package dev.pulse.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pulse.event.Engagement;
import dev.pulse.event.EventJson;
import dev.pulse.event.Post;
import dev.pulse.event.Source;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The replay ingester: a JSONL file of posts into a real Kafka broker, at full speed or at a fixed rate. */
class ReplayIngesterTest {
  @TempDir Path dir;
  private String topic;

  @BeforeEach
  void setUp() {
    topic = "feed-replay-" + UUID.randomUUID();
    TestSupport.kafka().createTopic(topic, 3);
  }

  private Path replayFile(int n, boolean withBadLine) throws Exception {
    List<String> lines = new ArrayList<>();
    Instant t0 = Instant.parse("2026-11-24T20:00:00Z");
    for (int i = 0; i < n; i++) {
      lines.add(EventJson.toJson(Post.of("replay:" + i, Source.REPLAY, "recorded", null,
          i % 2 == 0 ? "acme is great " + i : "acme is awful " + i, "en", t0.plusSeconds(i), t0.plusSeconds(i),
          null, null, Engagement.NONE)));
      if (withBadLine && i == n / 2) {
        lines.add("{\"schemaVersion\": 1, \"id\": \"broken\"}");
      }
    }
    Path file = dir.resolve("posts.jsonl");
    Files.write(file, lines);
    return file;
  }

  private String config(Path file, double rate, int metricsPort) {
    return """
        feed: replay
        type: REPLAY
        replay:
          file: %s
          rate: %s
          batchSize: 64
        kafka:
          bootstrapServers: %s
          topic: %s
        checkpointFile: %s
        metricsPort: %d
        """.formatted(file, rate, TestSupport.kafka().bootstrapServers(), topic, dir.resolve("cursor.json"),
        metricsPort);
  }

  private String loopingConfig(Path file) {
    return config(file, 0, -1).replace("  batchSize: 64\n", "  batchSize: 64\n  loop: true\n");
  }

  /**
   * A looping feed starts the file again with fresh ids (each pass's own), and a restart carries on in the pass its
   * cursor names; the bad line is dead-lettered once, not once per pass.
   */
  @Test
  void aLoopingReplayStartsAgainWithFreshIdsAndResumesInItsPass() throws Exception {
    Path file = replayFile(50, true);
    try (Ingester ingester = TestSupport.ingester(loopingConfig(file), Map.of())) {
      ingester.run(4); // 4 batches of 64 from 50 posts a pass: into the sixth pass
      assertThat(ingester.metrics().count("pulse.ingest.posts.produced")).isEqualTo(256);
      assertThat(ingester.metrics().count("pulse.ingest.failures", "reason", "invalid_record")).isEqualTo(1);
    }
    try (Ingester restarted = TestSupport.ingester(loopingConfig(file), Map.of())) {
      restarted.run(1);
      assertThat(restarted.metrics().count("pulse.ingest.posts.produced")).isEqualTo(64);
    }
    List<Post> posts = TestSupport.kafka().readPosts(topic, 320);
    assertThat(posts).hasSize(320).extracting(Post::id).doesNotHaveDuplicates()
        .contains("replay:0", "replay:49", "replay:0~1", "replay:49~5", "replay:19~6")
        .doesNotContain("replay:20~6");
  }

  @Test
  void aLoopingReplayWithNoValidPostEndsInsteadOfSpinning() throws Exception {
    Path file = dir.resolve("all-bad.jsonl");
    Files.writeString(file, "{\"schemaVersion\": 1, \"id\": \"broken\"}\nnot json\n");
    try (Ingester ingester = TestSupport.ingester(loopingConfig(file), Map.of())) {
      ingester.run(0); // returns: the source is exhausted
      assertThat(ingester.metrics().count("pulse.ingest.posts.produced")).isZero();
      assertThat(ingester.metrics().count("pulse.ingest.failures", "reason", "invalid_record")).isEqualTo(2);
    }
  }

  @Test
  void aRecordedPostWithoutFeedOrIngestTimeIsCompletedNotRejected() throws Exception {
    Path file = dir.resolve("hand-written.jsonl");
    Files.writeString(file, """
        {"schemaVersion":1,"id":"hand:1","source":"REPLAY","text":"Northwind got me home early","lang":"en","createdAt":"2026-11-20T08:00:00Z"}
        {"schemaVersion":1,"id":"hand:2","source":"REPLAY","text":"no id for the feed either","createdAt":"2026-11-20T08:01:00Z"}
        """);
    try (Ingester ingester = TestSupport.ingester(config(file, 0, -1), Map.of())) {
      ingester.run(0);
      assertThat(ingester.metrics().count("pulse.ingest.posts.produced")).isEqualTo(2);
      assertThat(ingester.metrics().count("pulse.ingest.failures", "reason", "invalid_record")).isZero();
    }
  }

  @Test
  void aFinishedReplayIdlesUntilStoppedAsADeploymentsContainerMust() throws Exception {
    Path file = replayFile(5, false);
    try (Ingester ingester = TestSupport.ingester(config(file, 0, -1), Map.of())) {
      Thread running = new Thread(() -> {
        try {
          ingester.run(0);
          ingester.idleUntilStopped();
        } catch (java.io.IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      }, "replay-then-idle");
      running.setDaemon(true);
      running.start();
      long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
      while (ingester.metrics().count("pulse.ingest.posts.produced") < 5 && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
      assertThat(ingester.metrics().count("pulse.ingest.posts.produced")).isEqualTo(5);
      running.join(2_000);
      assertThat(running.isAlive()).as("an exiting container would be restarted and crash-loop").isTrue();
      ingester.stop();
      running.join(Duration.ofMinutes(1).toMillis());
      assertThat(running.isAlive()).as("stop ends the idle wait").isFalse();
    }
  }

  @Test
  void exitWhenDoneEndsTheCommandOnceTheReplayIsSent() throws Exception {
    Path file = replayFile(3, false);
    Path conf = dir.resolve("ingest.yaml");
    Files.writeString(conf, config(file, 0, -1));
    var cli = dev.pulse.ingest.cli.IngestCli.newCommandLine();
    assertThat(cli.execute("ingest", "--config", conf.toString(), "--exit-when-done")).isZero();
  }

  @Test
  void replaysEveryValidLineOnceEvenAcrossARestart() throws Exception {
    Path file = replayFile(300, true);
    Instant before = Instant.now();
    try (var logs = new TestSupport.LogCapture();
        Ingester ingester = TestSupport.ingester(config(file, 0, 0), Map.of())) {
      ingester.run(0);
      assertThat(ingester.metrics().count("pulse.ingest.posts.produced")).isEqualTo(300);
      assertThat(ingester.metrics().count("pulse.ingest.failures", "reason", "invalid_record")).isEqualTo(1);
      assertThat(logs.all()).contains("line 152").contains("missing required field 'source'");
      String scrape = HttpClient.newHttpClient().send(
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + ingester.metricsPort() + "/metrics")).build(),
          HttpResponse.BodyHandlers.ofString()).body();
      assertThat(scrape).contains("pulse_ingest_posts_produced_total{feed=\"replay\",type=\"REPLAY\"} 300.0")
          .contains("pulse_ingest_failures_total");
    }
    try (Ingester restarted = TestSupport.ingester(config(file, 0, -1), Map.of())) {
      restarted.run(0);
      assertThat(restarted.metrics().count("pulse.ingest.posts.produced")).isZero();
    }
    List<Post> posts = TestSupport.kafka().readPosts(topic, 300);
    assertThat(posts).hasSize(300);
    assertThat(posts).extracting(Post::id).doesNotHaveDuplicates();
    assertThat(posts).allSatisfy(p -> {
      assertThat(p.feed()).isEqualTo("replay");
      assertThat(p.ingestedAt()).isAfterOrEqualTo(before.minusMillis(5));
    });
  }

  /**
   * A recreated pod: stopped after a few batches, its emptyDir (the checkpoint file) gone, the same config started
   * again. Before the cursor was stored on the topic, the new ingester started from line 1 and the topic ended with
   * every post of the first run twice.
   */
  @Test
  void aPodRecreatedWithoutItsCheckpointFileCarriesOnFromTheCursorStoredOnTheTopic() throws Exception {
    Path file = replayFile(400, false);
    long firstRun;
    try (Ingester ingester = TestSupport.ingester(config(file, 0, -1), Map.of())) {
      ingester.run(3);
      firstRun = (long) ingester.metrics().count("pulse.ingest.posts.produced");
    }
    assertThat(firstRun).as("the first pod stopped mid-file").isGreaterThan(0).isLessThan(400);
    Files.delete(dir.resolve("cursor.json"));
    try (var logs = new TestSupport.LogCapture();
        Ingester recreated = TestSupport.ingester(config(file, 0, -1), Map.of())) {
      recreated.run(0);
      assertThat(recreated.metrics().count("pulse.ingest.posts.produced")).isEqualTo(400 - firstRun);
      assertThat(logs.all()).contains("starting from the cursor stored on the topic");
    }
    List<Post> posts = TestSupport.kafka().readPosts(topic, 400);
    assertThat(posts).extracting(Post::id).doesNotHaveDuplicates().hasSize(400);
    assertThat(posts).extracting(Post::id).containsExactlyInAnyOrderElementsOf(
        java.util.stream.IntStream.range(0, 400).mapToObj(i -> "replay:" + i).toList());
  }

  /**
   * Two pods of one feed overlapped (a partitioned node): the one restarted last holds a checkpoint file older than
   * what its successor committed since. The topic's cursor carries a higher batch number than the one saved beside
   * the file, so it wins and nothing is sent twice.
   */
  @Test
  void aStaleCheckpointFileLosesToTheNewerCursorOnTheTopic() throws Exception {
    Path file = replayFile(400, false);
    Path cursor = dir.resolve("cursor.json");
    Path seq = dir.resolve("cursor.json.seq");
    try (Ingester first = TestSupport.ingester(config(file, 0, -1), Map.of())) {
      first.run(2);
    }
    byte[] staleCursor = Files.readAllBytes(cursor);
    byte[] staleSeq = Files.readAllBytes(seq);
    try (Ingester second = TestSupport.ingester(config(file, 0, -1), Map.of())) {
      second.run(2);
    }
    Files.write(cursor, staleCursor);
    Files.write(seq, staleSeq);
    try (var logs = new TestSupport.LogCapture();
        Ingester third = TestSupport.ingester(config(file, 0, -1), Map.of())) {
      third.run(0);
      assertThat(logs.all()).contains("newer than the checkpoint file's");
    }
    List<Post> posts = TestSupport.kafka().readPosts(topic, 400);
    assertThat(posts).extracting(Post::id).doesNotHaveDuplicates().hasSize(400);
  }

  /**
   * A pod killed mid-batch leaves its transaction open. Its successor (same transactional id) aborts it on start
   * and fences the old producer: the half-sent posts never become visible to read_committed readers, and the
   * topic's readers are not held at the open transaction until it times out.
   */
  @Test
  void aKilledPodsOpenTransactionIsAbortedAndItsProducerFenced() throws Exception {
    java.util.Properties p = KafkaPostSink.properties(TestSupport.kafka().bootstrapServers(), "zombie",
        KafkaPostSink.transactionalId(topic), Map.of());
    try (var zombie = new org.apache.kafka.clients.producer.KafkaProducer<String, byte[]>(p,
        new org.apache.kafka.common.serialization.StringSerializer(),
        new org.apache.kafka.common.serialization.ByteArraySerializer())) {
      zombie.initTransactions();
      zombie.beginTransaction();
      zombie.send(new org.apache.kafka.clients.producer.ProducerRecord<>(topic, "zombie:1",
          "{\"half\":\"sent\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8))).get();
      Path file = replayFile(5, false);
      try (Ingester successor = TestSupport.ingester(config(file, 0, -1), Map.of())) {
        successor.run(0);
        assertThat(successor.metrics().count("pulse.ingest.posts.produced")).isEqualTo(5);
      }
      org.assertj.core.api.Assertions.assertThatThrownBy(zombie::commitTransaction)
          .isInstanceOf(org.apache.kafka.common.errors.ProducerFencedException.class);
    }
    var records = TestSupport.kafka().readAll(topic, 5, Duration.ofSeconds(1));
    assertThat(records).extracting(r -> r.key()).doesNotContain("zombie:1").hasSize(5);
  }

  @Test
  void holdsTheConfiguredRate() throws Exception {
    Path file = replayFile(60, false);
    long start = System.nanoTime();
    try (Ingester ingester = TestSupport.ingester(config(file, 100, -1), Map.of())) {
      ingester.run(0);
    }
    Duration took = Duration.ofNanos(System.nanoTime() - start);
    // 60 posts at 100/s: the last one is due 0.59 s after the first.
    assertThat(took).isGreaterThanOrEqualTo(Duration.ofMillis(580)).isLessThan(Duration.ofSeconds(5));
    assertThat(TestSupport.kafka().readPosts(topic, 60)).hasSize(60);
  }
}
