package dev.pulse.spark.fault;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pulse.event.Engagement;
import dev.pulse.event.EventJson;
import dev.pulse.event.Post;
import dev.pulse.event.ScoredPost;
import dev.pulse.event.Source;
import dev.pulse.scoring.SentimentScorer;
import dev.pulse.scoring.glossary.Glossary;
import dev.pulse.spark.TestSpark;
import dev.pulse.spark.JobConfig;
import dev.pulse.spark.ScoredPostsJob;
import dev.pulse.stream.LightPostScorer;
import dev.pulse.testsupport.kafka.EmbeddedKafka;
import dev.pulse.testsupport.kafka.KafkaTopics;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fault suite (issue 19), the Spark job's side of "Kafka broker restarted under load → nothing lost": a producer
 * writes a feed at a steady rate (idempotent, acks=all: as the ingester's, without its transactions) while the
 * scored-posts query runs in micro-batches, and a few seconds in the broker is stopped and started again on the same
 * port and log directory. Every post of the source must come out on the scored topic. A query that fails on the
 * outage is started again from its checkpoint, as the driver's {@code QuerySupervisor} does, and the restarts are
 * reported. {@code -Dpulse.fault.jobRestartPosts=N} (default 6,000) at 1,000 posts/s.
 */
class BrokerRestartJobTest {
  private static final int POSTS = Integer.getInteger("pulse.fault.jobRestartPosts", 6_000);
  private static final int RATE = 1_000;
  private static final Duration DEADLINE = Duration.ofMinutes(4);
  private static SparkSession spark;

  @TempDir Path dir;

  @BeforeAll
  static void startSpark() {
    spark = TestSpark.builder("pulse-broker-restart-test")
        .getOrCreate();
  }

  @AfterAll
  static void stopSpark() {
    if (spark != null) {
      spark.stop();
    }
  }

  @Test
  void everyPostOfTheSourceIsScoredAcrossABrokerRestart() throws Exception {
    try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
      String bootstrap = kafka.bootstrapServers();
      List<String> topics = List.of("feed", "scored", "dead");
      KafkaTopics.ensure(bootstrap, topics, 3);
      JobConfig config = new JobConfig(bootstrap, List.of("feed"), "scored", "dead",
          dir.resolve("checkpoint").toString(), Duration.ofMinutes(10), Duration.ofMillis(500), false);
      LightPostScorer scorer = new LightPostScorer(SentimentScorer.lexicon(Glossary.EMPTY));
      AtomicReference<StreamingQuery> query = new AtomicReference<>(ScoredPostsJob.start(spark, config, scorer));

      Set<String> acknowledged = ConcurrentHashMap.newKeySet();
      AtomicReference<Exception> sendFailure = new AtomicReference<>();
      AtomicInteger sent = new AtomicInteger();
      Thread producerThread = new Thread(() -> {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        try (KafkaProducer<String, byte[]> producer =
            new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer())) {
          long start = System.nanoTime();
          Instant t0 = Instant.now();
          for (int i = 0; i < POSTS; i++) {
            long wait = start + i * 1_000_000_000L / RATE - System.nanoTime();
            if (wait > 0) {
              Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
            }
            String id = "k:" + i;
            Post post = Post.of(id, Source.X, "acme-x", "h" + i, "post " + i + " is fine, love it", "en",
                t0.plusMillis(i), Instant.now(), null, null, Engagement.NONE);
            producer.send(new ProducerRecord<>("feed", id, EventJson.toBytes(post)), (md, e) -> {
              if (e == null) {
                acknowledged.add(id);
              } else {
                sendFailure.compareAndSet(null, e);
              }
            });
            sent.incrementAndGet();
          }
          producer.flush();
        } catch (Exception e) {
          sendFailure.compareAndSet(null, e);
        }
      }, "fault-feed");
      producerThread.start();

      long deadline = System.nanoTime() + DEADLINE.toNanos();
      while (sent.get() < POSTS / 4) {
        assertThat(System.nanoTime()).as("a quarter of the feed sent").isLessThan(deadline);
        Thread.sleep(20);
      }
      long t = System.nanoTime();
      kafka.broker().stopBroker();
      Thread.sleep(3_000);
      kafka.broker().startBroker();
      double down = (System.nanoTime() - t) / 1e9;
      int sentAtRestart = sent.get();

      producerThread.join(DEADLINE.toMillis());
      assertThat(sendFailure.get()).as("the producer's sends").isNull();
      assertThat(acknowledged).hasSize(POSTS);

      int restarts = 0;
      Map<String, Integer> times = new HashMap<>();
      while (times.size() < POSTS) {
        assertThat(System.nanoTime()).as("every post scored (%d of %d so far)", times.size(), POSTS)
            .isLessThan(deadline);
        if (!query.get().isActive()) { // the driver's QuerySupervisor starts a failed query again
          restarts++;
          System.out.println("FAULT-SUITE: the query ended (" + query.get().exception() + "); started again");
          query.set(ScoredPostsJob.start(spark, config, scorer));
        }
        times.clear();
        kafka.readAll("scored", 0, Duration.ofMillis(500))
            .forEach(r -> times.merge(EventJson.read(r.value(), ScoredPost.class).post().id(), 1, Integer::sum));
        Thread.sleep(500);
      }
      query.get().stop();
      assertThat(times.keySet()).as("every post of the source scored, nothing else")
          .containsExactlyInAnyOrderElementsOf(acknowledged);
      long twice = times.values().stream().filter(n -> n > 1).count();
      System.out.printf("%nFAULT-SUITE broker restart, Spark job (micro-batch 500 ms, lexicon tier, %d posts at %d "
              + "posts/s): broker down %.1f s after %d posts sent; %d of %d posts scored, %d written more than once; "
              + "query restarts: %d%n", POSTS, RATE, down, sentAtRestart, times.size(), POSTS, twice, restarts);
    }
  }
}
