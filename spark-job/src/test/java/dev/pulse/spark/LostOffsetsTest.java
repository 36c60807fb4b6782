package dev.pulse.spark;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pulse.event.Engagement;
import dev.pulse.event.EventJson;
import dev.pulse.event.Post;
import dev.pulse.event.ScoredPost;
import dev.pulse.event.Source;
import dev.pulse.scoring.SentimentScorer;
import dev.pulse.scoring.glossary.Glossary;
import dev.pulse.stream.LightPostScorer;
import dev.pulse.testsupport.kafka.EmbeddedKafka;
import dev.pulse.testsupport.kafka.KafkaTopics;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The data-loss policy (issue 19): a pipeline that was away longer than its feed's retention starts again, reads on
 * from what the broker still has, and counts and reports what it could not read. With Spark's default
 * (failOnDataLoss=true) the restarted query fails, at every start, for good.
 */
class LostOffsetsTest {
  private static SparkSession spark;
  private static final Instant T0 = Instant.parse("2026-11-24T22:00:00Z");

  @TempDir Path dir;

  @BeforeAll
  static void startSpark() {
    spark = TestSpark.builder("pulse-lost-offsets-test")
        .getOrCreate();
  }

  @AfterAll
  static void stopSpark() {
    if (spark != null) {
      spark.stop();
    }
  }

  @Test
  void kafkaOffsetsOfASourceAreReadFromSparksProgressAndAnythingElseIsNone() {
    assertThat(LostOffsets.startOffsets("{\"feed\":{\"0\":12,\"1\":7}}")).containsOnly(
        Map.entry(new TopicPartition("feed", 0), 12L), Map.entry(new TopicPartition("feed", 1), 7L));
    assertThat(LostOffsets.startOffsets(null)).isEmpty();
    assertThat(LostOffsets.startOffsets("42")).isEmpty();
  }

  @Test
  void aQueryWhoseOffsetsWereDeletedStartsReadsOnAndCountsWhatItLost() throws Exception {
    EmbeddedKafka kafka = EmbeddedKafka.shared();
    String suffix = UUID.randomUUID().toString().substring(0, 8);
    String feed = "feed-" + suffix;
    String scored = "scored-" + suffix;
    String dead = "dead-" + suffix;
    KafkaTopics.ensure(kafka.bootstrapServers(), List.of(feed, scored, dead), 1);
    JobConfig config = new JobConfig(kafka.bootstrapServers(), List.of(feed), scored, dead,
        dir.resolve("checkpoint").toString(), Duration.ofMinutes(10), null, true);
    produce(kafka, feed, 0, 5);
    run(config);
    assertThat(kafka.readAll(scored, 5, Duration.ofSeconds(2))).hasSize(5);

    // Away longer than the retention: posts 5..9 arrive, then 5..7 are deleted (what retention does to old segments).
    produce(kafka, feed, 5, 5);
    Properties props = new Properties();
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    try (Admin admin = Admin.create(props)) {
      admin.deleteRecords(Map.of(new TopicPartition(feed, 0), RecordsToDelete.beforeOffset(8))).all().get();
    }

    try (LostOffsets lost = LostOffsets.of("p", kafka.bootstrapServers(), List.of(feed))) {
      spark.streams().addListener(lost);
      try {
        run(config);
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (lost.lost() < 3 && System.nanoTime() < deadline) {
          Thread.sleep(200); // listener events arrive asynchronously
        }
        assertThat(lost.lost()).as("offsets 5, 6 and 7, deleted before the job read them").isEqualTo(3);
      } finally {
        spark.streams().removeListener(lost);
      }
    }
    List<String> ids = kafka.readAll(scored, 7, Duration.ofSeconds(2)).stream()
        .map(r -> EventJson.read(r.value(), ScoredPost.class).post().id()).toList();
    assertThat(ids).as("read on from what the broker still has").containsExactlyInAnyOrder(
        "x:0", "x:1", "x:2", "x:3", "x:4", "x:8", "x:9");
  }

  private static void run(JobConfig config) throws Exception {
    StreamingQuery query = ScoredPostsJob.start(spark, config,
        new LightPostScorer(SentimentScorer.lexicon(new Glossary(List.of(), List.of()))));
    assertThat(query.awaitTermination(120_000)).as("the available-now run finishes").isTrue();
    assertThat(query.exception().isEmpty()).as("the query ran without error: " + query.exception()).isTrue();
  }

  private static void produce(EmbeddedKafka kafka, String topic, int from, int count) throws Exception {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    try (KafkaProducer<String, byte[]> producer =
        new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer())) {
      for (int i = from; i < from + count; i++) {
        Post post = Post.of("x:" + i, Source.X, "feed", "h" + i, "post number " + i, "en", T0.plusSeconds(i),
            T0.plusSeconds(i), null, null, Engagement.NONE);
        producer.send(new ProducerRecord<>(topic, post.id(), EventJson.toBytes(post))).get();
      }
    }
  }
}
