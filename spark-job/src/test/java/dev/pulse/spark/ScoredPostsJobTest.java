package dev.pulse.spark;

import dev.pulse.stream.LightPostScorer;
import dev.pulse.stream.PostScorer;
import dev.pulse.testsupport.kafka.KafkaTopics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pulse.event.DeadLetter;
import dev.pulse.event.Engagement;
import dev.pulse.event.EventJson;
import dev.pulse.event.Label;
import dev.pulse.event.Post;
import dev.pulse.event.ScoredPost;
import dev.pulse.event.Source;
import dev.pulse.event.ScoredBy;
import dev.pulse.testsupport.kafka.EmbeddedKafka;
import dev.pulse.scoring.glossary.Glossary;
import dev.pulse.scoring.SentimentScorer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
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
 * The scored-posts query in Spark local mode against a real (embedded KRaft) Kafka broker, scoring with the real
 * light scorer's lexicon tier: every record in comes out exactly once, scored or dead-lettered, across a restart.
 */
class ScoredPostsJobTest {
  private static SparkSession spark;
  private static final Instant T0 = Instant.parse("2026-11-24T22:00:00Z");

  @TempDir Path dir;

  @BeforeAll
  static void startSpark() {
    spark = TestSpark.builder("pulse-scored-posts-test")
        .config("spark.sql.streaming.stateStore.providerClass",
            "org.apache.spark.sql.execution.streaming.state.HDFSBackedStateStoreProvider")
        .getOrCreate();
  }

  @AfterAll
  static void stopSpark() {
    if (spark != null) {
      spark.stop();
    }
  }

  private static Post post(int i, String text) {
    return Post.of("x:" + (1000 + i), Source.X, "acme-x", "h" + i, text, "en", T0.plusSeconds(i), T0.plusSeconds(i),
        "https://x.com/i/web/status/" + (1000 + i), null, Engagement.NONE);
  }

  private static void produce(EmbeddedKafka kafka, String topic, List<byte[]> values) throws Exception {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    try (KafkaProducer<String, byte[]> producer =
        new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer())) {
      for (byte[] v : values) {
        producer.send(new ProducerRecord<>(topic, v)).get();
      }
    }
  }

  private void runToEnd(JobConfig config) throws Exception {
    PostScorer scorer = new LightPostScorer(SentimentScorer.lexicon(new Glossary(List.of(), List.of("recall"))));
    StreamingQuery query = ScoredPostsJob.start(spark, config, scorer);
    assertThat(query.awaitTermination(120_000)).as("the available-now run finishes").isTrue();
    assertThat(query.exception().isEmpty()).isTrue();
  }

  @Test
  void everyRecordIsScoredOrDeadLetteredExactlyOnceAcrossARestart() throws Exception {
    EmbeddedKafka kafka = EmbeddedKafka.shared();
    String suffix = UUID.randomUUID().toString().substring(0, 8);
    String feedA = "feed-a-" + suffix;
    String feedB = "feed-b-" + suffix;
    String scoredTopic = "scored-" + suffix;
    String deadTopic = "dead-" + suffix;
    KafkaTopics.ensure(kafka.bootstrapServers(), List.of(feedA, feedB, scoredTopic, deadTopic), 3);
    JobConfig config = new JobConfig(kafka.bootstrapServers(), List.of(feedA, feedB), scoredTopic, deadTopic,
        dir.resolve("checkpoint").toString(), Duration.ofMinutes(10), null, true);

    List<byte[]> first = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      first.add(EventJson.toBytes(post(i, i % 3 == 0 ? "I love this <b>great</b> phone 😍 https://t.co/x"
          : i % 3 == 1 ? "terrible service, awful and broken" : "the store opens at nine")));
    }
    first.add(EventJson.toBytes(post(3, "a re-sent copy of post 3")));            // a duplicate id
    byte[] malformed = "{\"schemaVersion\":1,\"id\":".getBytes(StandardCharsets.UTF_8);
    byte[] unknownField = EventJson.toJson(post(50, "x")).replace("\"feed\":", "\"mood\":1,\"feed\":")
        .getBytes(StandardCharsets.UTF_8);
    first.add(malformed);
    produce(kafka, feedA, first);
    produce(kafka, feedB, List.of(unknownField, EventJson.toBytes(post(20, "acme recall announced"))));

    runToEnd(config);

    List<ScoredPost> scored = readScored(kafka, scoredTopic, 13);
    assertThat(scored).extracting(s -> s.post().id()).doesNotHaveDuplicates().hasSize(13);
    ScoredPost loved = scored.stream().filter(s -> s.post().id().equals("x:1000")).findFirst().orElseThrow();
    assertThat(loved.post().text()).as("markup and URLs cleaned, emoji kept").isEqualTo("I love this great phone 😍");
    assertThat(loved.label()).isEqualTo(Label.POSITIVE);
    assertThat(loved.tier()).isEqualTo(ScoredBy.LIGHT);
    assertThat(scored.stream().filter(s -> s.post().id().equals("x:1001")).findFirst().orElseThrow().label())
        .isEqualTo(Label.NEGATIVE);
    List<DeadLetter> dead = readDead(kafka, deadTopic, 2);
    assertThat(dead).hasSize(2);
    DeadLetter bad = dead.stream().filter(d -> d.sourceTopic().equals(feedA)).findFirst().orElseThrow();
    assertThat(bad.original()).isEqualTo(malformed);
    assertThat(bad.error()).startsWith("malformed JSON");
    assertThat(bad.offset()).isEqualTo(13);
    assertThat(dead.stream().filter(d -> d.sourceTopic().equals(feedB)).findFirst().orElseThrow().error())
        .isEqualTo("unknown field 'mood'");

    // Restart from the checkpoint with more input: only the new records come out, and a re-sent id is dropped.
    produce(kafka, feedA, List.of(EventJson.toBytes(post(30, "new and happy")), EventJson.toBytes(post(5, "again")),
        "not json".getBytes(StandardCharsets.UTF_8)));
    runToEnd(config);

    List<ScoredPost> after = readScored(kafka, scoredTopic, 14);
    assertThat(after).hasSize(14);
    assertThat(after).extracting(s -> s.post().id()).doesNotHaveDuplicates().contains("x:1030");
    assertThat(readDead(kafka, deadTopic, 3)).hasSize(3);
  }

  private static List<ScoredPost> readScored(EmbeddedKafka kafka, String topic, int atLeast) {
    return kafka.readAll(topic, atLeast, Duration.ofSeconds(2)).stream()
        .map(r -> EventJson.read(r.value(), ScoredPost.class)).toList();
  }

  private static List<DeadLetter> readDead(EmbeddedKafka kafka, String topic, int atLeast) {
    List<ConsumerRecord<String, byte[]>> records = kafka.readAll(topic, atLeast, Duration.ofSeconds(2));
    return records.stream().map(r -> EventJson.read(r.value(), DeadLetter.class)).toList();
  }

}
