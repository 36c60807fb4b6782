package dev.pulse.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pulse.contract.IngestConfig;
import dev.pulse.event.Aggregate;
import dev.pulse.event.Engagement;
import dev.pulse.event.EventJson;
import dev.pulse.event.Post;
import dev.pulse.event.ScoredPost;
import dev.pulse.event.Source;
import dev.pulse.ingest.Ingester;
import dev.pulse.stream.PipelineSettings;
import dev.pulse.stream.PostProcessor;
import dev.pulse.stream.StreamEngine;
import dev.pulse.stream.VectorSink;
import dev.pulse.stream.WindowBook;
import dev.pulse.testsupport.kafka.EmbeddedKafka;
import dev.pulse.testsupport.kafka.KafkaTopics;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fault suite (issue 19): the Kafka broker restarted under load loses nothing. The real replay ingester (its
 * transactional producer) writes a feed at a steady rate into the in-JVM broker, the stream core's loop as
 * {@code ./pulse local} runs it ({@link LocalPipeline}: read_committed consumer → {@link StreamEngine} → producer)
 * scores it, and a few seconds in the broker is stopped and started again on the same port and log directory. Then
 * every post of the source must be on the scored topic; a post the loop read twice around the restart may be written
 * twice (the scored topic is at least once, as in the Spark job), so distinct ids are counted, and the repeats are
 * reported. {@code -Dpulse.fault.restartPosts=N} (default 12,000) posts at {@code -Dpulse.fault.restartRate} (default
 * 2,000) posts/s.
 */
class BrokerRestartTest {
  private static final int POSTS = Integer.getInteger("pulse.fault.restartPosts", 12_000);
  private static final int RATE = Integer.getInteger("pulse.fault.restartRate", 2_000);
  private static final Duration DOWN = Duration.ofSeconds(3);
  private static final Duration DEADLINE = Duration.ofMinutes(4);

  @TempDir Path dir;

  private static void await(BooleanSupplier condition, String what) throws InterruptedException {
    long end = System.nanoTime() + DEADLINE.toNanos();
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as("waiting for: %s", what).isLessThan(end);
      Thread.sleep(50);
    }
  }

  @Test
  void everyPostOfTheSourceIsScoredAcrossABrokerRestart() throws Exception {
    Path feed = dir.resolve("feed.jsonl");
    Set<String> sourceIds = new HashSet<>();
    StringBuilder lines = new StringBuilder();
    Instant t0 = Instant.parse("2026-12-06T12:00:00Z");
    String[] texts = {"love the new app, great update", "the outage again, awful service", "store opens at nine"};
    for (int i = 0; i < POSTS; i++) {
      Post p = Post.of("r:" + i, Source.X, "fault-replay", "h" + i, texts[i % 3] + " " + i, "en", t0.plusMillis(i),
          t0.plusMillis(i), null, null, Engagement.NONE);
      sourceIds.add(p.id());
      lines.append(EventJson.toJson(p)).append('\n');
    }
    Files.writeString(feed, lines, StandardCharsets.UTF_8);

    try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
      String bootstrap = kafka.bootstrapServers();
      LocalRun.Topics topics = LocalRun.Topics.of("fault", "restart");
      KafkaTopics.ensure(bootstrap, topics.all(), 3);
      // Windows of 2 s, so that the feed spans several of them and the restart falls inside some.
      // A lateness of 10 min instead of 2 s: partitions read unevenly around the restart would otherwise leave some
      // posts late (in the scored topic, out of the aggregates, as documented), and the count below could not be exact.
      Map<String, String> conf = new HashMap<>(LocalRun.pipelineConf(bootstrap, topics, 2, false, dir));
      conf.put("spark.pulse.aggregates.lateness", "10m");
      PipelineSettings settings = PipelineSettings.from(conf);
      StreamEngine engine = new StreamEngine(settings, PostProcessor.of(settings, VectorSink.NONE), Clock.systemUTC());
      LocalPipeline pipeline = new LocalPipeline(bootstrap, settings.inputTopics(), engine);
      pipeline.start();

      IngestConfig config = new IngestConfig("fault-replay", IngestConfig.FeedType.REPLAY, null, null, null,
          new IngestConfig.Replay(feed.toString(), (double) RATE, null), null, null,
          new IngestConfig.Kafka(bootstrap, topics.feed(), Map.of()), dir.resolve("replay.cursor.json").toString(),
          -1, null);
      config.validate();
      AtomicReference<Throwable> ingestFailure = new AtomicReference<>();
      Thread ingest = new Thread(() -> {
        try (Ingester ingester = new Ingester(config, Map.of(), HttpClient.newHttpClient(), Clock.systemUTC(),
            Ingester::kafkaSink)) {
          ingester.run(0);
        } catch (Throwable e) {
          ingestFailure.set(e);
        }
      }, "fault-replay");
      ingest.start();
      try {
        // Under load: the restart comes once a fifth of the feed is scored, while the ingester is still writing.
        await(() -> pipeline.scoredCount() >= POSTS / 5, "a fifth of the feed scored");
        long scoredBefore = pipeline.scoredCount();
        long t = System.nanoTime();
        kafka.broker().stopBroker();
        Thread.sleep(DOWN.toMillis());
        kafka.broker().startBroker();
        double restartSeconds = (System.nanoTime() - t) / 1e9;
        assertThat(ingest.isAlive()).as("the ingester was still writing when the broker went down").isTrue();

        ingest.join(DEADLINE.toMillis());
        assertThat(ingest.isAlive()).as("the replay ends").isFalse();
        assertThat(ingestFailure.get()).as("the ingester's run").isNull();
        await(() -> pipeline.scoredCount() >= POSTS, "every post scored");

        List<ScoredPost> scored = kafka.readAll(topics.scored(), POSTS, Duration.ofSeconds(3)).stream()
            .map(r -> EventJson.read(r.value(), ScoredPost.class)).toList();
        Map<String, Integer> times = new HashMap<>();
        scored.forEach(s -> times.merge(s.post().id(), 1, Integer::sum));
        times.remove("closer");
        assertThat(times.keySet()).as("every post of the source scored, nothing else")
            .containsExactlyInAnyOrderElementsOf(sourceIds);
        long repeats = times.values().stream().filter(n -> n > 1).count();
        List<Post> fed = kafka.readPosts(topics.feed(), POSTS);
        Set<String> fedIds = new HashSet<>();
        fed.forEach(p -> fedIds.add(p.id()));
        assertThat(fedIds).as("the feed topic (read_committed) holds every post").hasSize(POSTS);

        // Aggregates: a post an hour later closes every window of the feed; each post counts once in them, whatever
        // the loop read twice.
        Instant later = Instant.now().plus(Duration.ofHours(1));
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap), new StringSerializer(), new ByteArraySerializer())) {
          producer.send(new ProducerRecord<>(topics.feed(), "closer", EventJson.toBytes(Post.of("closer", Source.X,
              "fault-replay", "h", "the closer", "en", later, later, null, null, Engagement.NONE)))).get();
        }
        AtomicReference<Long> rollUp = new AtomicReference<>(0L);
        await(() -> {
          rollUp.set(kafka.readAll(topics.aggregates(), 0, Duration.ofMillis(500)).stream()
              .map(r -> EventJson.read(r.value(), Aggregate.class))
              .filter(a -> WindowBook.ALL.equals(a.source()) && (a.geoCell() == null || WindowBook.ALL.equals(a.geoCell())))
              .mapToLong(Aggregate::count).sum());
          return rollUp.get() >= POSTS;
        }, "every window of the feed closed");
        assertThat(rollUp.get()).as("posts counted in the roll-up windows: each once").isEqualTo(POSTS);
        assertThat(engine.late()).as("posts left out of the aggregates as late").isZero();

        System.out.printf("%nFAULT-SUITE broker restart (replay ingester at %d posts/s → in-JVM KRaft broker → "
                + "./pulse local's loop, lexicon tier): broker down %.1f s after %d of %d posts scored; %d feed "
                + "records (read_committed) for %d posts; %d scored records, %d distinct (all of the source), %d "
                + "posts written twice; %d posts counted in the roll-up windows; %d feed repeats dropped by the loop's dedup%n",
            RATE, restartSeconds, scoredBefore, POSTS, fed.size(), fedIds.size(), scored.size(), times.size(),
            repeats, rollUp.get(), engine.repeats());
      } finally {
        pipeline.close();
        ingest.interrupt();
      }
    }
  }
}
