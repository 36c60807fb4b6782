package dev.pulse.spark;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pulse.contract.KafkaClientEnv;
import dev.pulse.event.Engagement;
import dev.pulse.event.EventJson;
import dev.pulse.event.Post;
import dev.pulse.event.ScoredPost;
import dev.pulse.event.Source;
import dev.pulse.scoring.SentimentScorer;
import dev.pulse.scoring.glossary.Glossary;
import dev.pulse.stream.LightPostScorer;
import dev.pulse.stream.PostScorer;
import dev.pulse.testsupport.kafka.SaslKafka;
import dev.pulse.testsupport.kafka.TlsKafka;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Spark job's Kafka source and sink on a Kafka that requires TLS (its own CA) and on one that requires SASL: real
 * brokers in this JVM (test-support's {@link TlsKafka} and {@link SaslKafka}), the settings made from the operator's
 * PULSE_KAFKA_* variables ({@link KafkaClientEnv}). Both queries run: posts are read from the feed topic and scored
 * to the scored topic, and the aggregates query reads those and writes its windows to the aggregates topic. The
 * same run without the settings reads nothing.
 */
class SecureKafkaJobTest {
  private static final Instant T0 = Instant.parse("2026-12-06T10:00:00Z");
  private static SparkSession spark;
  private static TlsKafka tls;
  private static SaslKafka sasl;

  @TempDir Path dir;

  @BeforeAll
  static void start() throws Exception {
    spark = TestSpark.builder("pulse-secure-kafka-test")
        .config("spark.sql.streaming.stateStore.providerClass",
            "org.apache.spark.sql.execution.streaming.state.HDFSBackedStateStoreProvider")
        .getOrCreate();
    tls = TlsKafka.start();
    sasl = SaslKafka.start();
  }

  @AfterAll
  static void stop() throws Exception {
    if (spark != null) {
      spark.stop();
    }
    if (tls != null) {
      tls.close();
    }
    if (sasl != null) {
      sasl.close();
    }
  }

  @Test
  void scoresAndAggregatesOnATlsKafkaWithItsOwnCa() throws Exception {
    Map<String, String> env = Map.of(KafkaClientEnv.PROTOCOL, "SSL", KafkaClientEnv.CA_CERTIFICATES, tls.caPem());
    runBothQueries(tls.bootstrapServers(), env);
  }

  @Test
  void scoresAndAggregatesOnASaslKafka() throws Exception {
    Map<String, String> env = Map.of(KafkaClientEnv.PROTOCOL, "SASL_PLAINTEXT", KafkaClientEnv.SASL_MECHANISM, "PLAIN",
        KafkaClientEnv.SASL_USERNAME, SaslKafka.USER, KafkaClientEnv.SASL_PASSWORD, SaslKafka.PASSWORD);
    runBothQueries(sasl.bootstrapServers(), env);
  }

  @Test
  void withoutTheSettingsASaslKafkaGivesTheJobNothing() throws Exception {
    Map<String, String> env = Map.of(KafkaClientEnv.PROTOCOL, "SASL_PLAINTEXT", KafkaClientEnv.SASL_MECHANISM, "PLAIN",
        KafkaClientEnv.SASL_USERNAME, SaslKafka.USER, KafkaClientEnv.SASL_PASSWORD, SaslKafka.PASSWORD);
    Map<String, String> client = KafkaClientEnv.clientProperties(env::get);
    String suffix = UUID.randomUUID().toString().substring(0, 8);
    String feed = "feed-" + suffix;
    String scored = "scored-" + suffix;
    String dead = "dead-" + suffix;
    createTopics(sasl.bootstrapServers(), client, List.of(feed, scored, dead));
    produce(sasl.bootstrapServers(), client, feed, posts(3));
    JobConfig plain = new JobConfig(sasl.bootstrapServers(), List.of(feed), scored, dead,
        dir.resolve("plain").toString(), Duration.ofMinutes(10), null, true);
    StreamingQuery query = ScoredPostsJob.start(spark, plain, scorer());
    // A PLAINTEXT client on a SASL listener never gets metadata: the run neither finishes nor writes a post.
    assertThat(query.awaitTermination(20_000) && query.exception().isEmpty()).isFalse();
    query.stop();
    assertThat(read(sasl.bootstrapServers(), client, scored, 0, Duration.ofSeconds(5))).isEmpty();
  }

  private void runBothQueries(String bootstrap, Map<String, String> env) throws Exception {
    Map<String, String> client = KafkaClientEnv.clientProperties(env::get);
    Map<String, String> options = KafkaClientEnv.sparkOptions(env::get);
    String suffix = UUID.randomUUID().toString().substring(0, 8);
    String feed = "feed-" + suffix;
    String scored = "scored-" + suffix;
    String dead = "dead-" + suffix;
    String aggregates = "aggregates-" + suffix;
    String alerts = "alerts-" + suffix;
    createTopics(bootstrap, client, List.of(feed, scored, dead, aggregates, alerts));
    List<byte[]> in = posts(8);
    in.add(EventJson.toBytes(Post.of("x:late", Source.X, "acme-x", "h", "much later", "en", T0.plusSeconds(3600),
        T0.plusSeconds(3600), "https://x.com/i/web/status/9", null, Engagement.NONE))); // moves the watermark on
    produce(bootstrap, client, feed, in);

    JobConfig job = new JobConfig(bootstrap, List.of(feed), scored, dead, dir.resolve("scored").toString(),
        Duration.ofMinutes(10), null, true, false, JobConfig.DEFAULT_DEDUP_MAX_IDS, options);
    StreamingQuery scoredQuery = ScoredPostsJob.start(spark, job, scorer());
    assertThat(scoredQuery.awaitTermination(120_000)).as("the available-now run finishes").isTrue();
    assertThat(scoredQuery.exception().isEmpty()).isTrue();
    List<ScoredPost> out = read(bootstrap, client, scored, 9, Duration.ofSeconds(60)).stream()
        .map(r -> EventJson.read(r.value(), ScoredPost.class)).toList();
    assertThat(out).extracting(s -> s.post().id()).doesNotHaveDuplicates().hasSize(9).contains("x:1000", "x:late");

    AggregatesJob.Config agg = new AggregatesJob.Config(bootstrap, scored, aggregates, alerts,
        dir.resolve("aggregates").toString(), Duration.ofSeconds(30), null, true, options);
    StreamingQuery aggregatesQuery = AggregatesJob.start(spark, agg, dev.pulse.stream.AlertRule.of("secure",
        Duration.ofMinutes(5), 50, 0.6, 3.0, List.of()));
    assertThat(aggregatesQuery.awaitTermination(120_000)).as("the available-now run finishes").isTrue();
    assertThat(aggregatesQuery.exception().isEmpty()).isTrue();
    assertThat(read(bootstrap, client, aggregates, 1, Duration.ofSeconds(60))).as("closed windows written").isNotEmpty();
  }

  private static PostScorer scorer() {
    return new LightPostScorer(SentimentScorer.lexicon(new Glossary(List.of(), List.of("recall"))));
  }

  private static List<byte[]> posts(int n) {
    List<byte[]> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(EventJson.toBytes(Post.of("x:" + (1000 + i), Source.X, "acme-x", "h" + i,
          i % 2 == 0 ? "I love this great phone" : "terrible service, awful", "en", T0.plusSeconds(i),
          T0.plusSeconds(i), "https://x.com/i/web/status/" + (1000 + i), null, Engagement.NONE)));
    }
    return out;
  }

  private static Map<String, Object> props(String bootstrap, Map<String, String> client) {
    Map<String, Object> p = new HashMap<>(client);
    p.put("bootstrap.servers", bootstrap);
    return p;
  }

  private static void createTopics(String bootstrap, Map<String, String> client, List<String> topics)
      throws Exception {
    try (Admin admin = Admin.create(props(bootstrap, client))) {
      admin.createTopics(topics.stream().map(t -> new NewTopic(t, 2, (short) 1)).toList()).all()
          .get(60, TimeUnit.SECONDS);
    }
  }

  private static void produce(String bootstrap, Map<String, String> client, String topic, List<byte[]> values)
      throws Exception {
    Map<String, Object> p = props(bootstrap, client);
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    try (KafkaProducer<String, byte[]> producer =
        new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer())) {
      for (byte[] v : values) {
        producer.send(new ProducerRecord<>(topic, v)).get(60, TimeUnit.SECONDS);
      }
    }
  }

  /** Reads the topic from the start until {@code atLeast} records came, or {@code within} passed. */
  private static List<ConsumerRecord<String, byte[]>> read(String bootstrap, Map<String, String> client, String topic,
      int atLeast, Duration within) {
    Map<String, Object> p = props(bootstrap, client);
    p.put(ConsumerConfig.GROUP_ID_CONFIG, "test-" + UUID.randomUUID());
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    List<ConsumerRecord<String, byte[]>> out = new ArrayList<>();
    long end = System.nanoTime() + within.toNanos();
    try (KafkaConsumer<String, byte[]> consumer =
        new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer())) {
      consumer.subscribe(List.of(topic));
      while (System.nanoTime() < end && (atLeast == 0 || out.size() < atLeast)) {
        consumer.poll(Duration.ofMillis(500)).forEach(out::add);
      }
    }
    return out;
  }
}
