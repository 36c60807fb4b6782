package dev.pulse.dashboard.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pulse.contract.KafkaClientEnv;
import dev.pulse.dashboard.Records;
import dev.pulse.dashboard.labelled.LabelledTopicWriter;
import dev.pulse.dashboard.status.FeedHealth;
import dev.pulse.event.Aggregate;
import dev.pulse.event.Alert;
import dev.pulse.event.EventJson;
import dev.pulse.event.Label;
import dev.pulse.event.LabelledExamples;
import dev.pulse.event.ScoredPost;
import dev.pulse.event.Source;
import dev.pulse.testsupport.kafka.SaslKafka;
import dev.pulse.testsupport.kafka.TlsKafka;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The dashboard's consumer and its labelled-topic producer on a Kafka that requires TLS (its own CA) and on one that
 * requires SASL: real brokers in this JVM, settings made from the operator's PULSE_KAFKA_* variables
 * ({@link KafkaClientEnv}). A scored post, an aggregate and an alert reach the listener; a correction reaches the
 * labelled topic. Without the settings the SASL broker leaves the feed badge short of UP and delivers nothing.
 */
class SecureKafkaConsumerTest {
  private static TlsKafka tls;
  private static SaslKafka sasl;

  @BeforeAll
  static void start() throws Exception {
    tls = TlsKafka.start();
    sasl = SaslKafka.start();
  }

  @AfterAll
  static void stop() throws Exception {
    if (tls != null) {
      tls.close();
    }
    if (sasl != null) {
      sasl.close();
    }
  }

  private static Map<String, String> saslEnv() {
    return Map.of(KafkaClientEnv.PROTOCOL, "SASL_PLAINTEXT", KafkaClientEnv.SASL_MECHANISM, "PLAIN",
        KafkaClientEnv.SASL_USERNAME, SaslKafka.USER, KafkaClientEnv.SASL_PASSWORD, SaslKafka.PASSWORD);
  }

  @Test
  void consumesAndWritesCorrectionsOnATlsKafkaWithItsOwnCa() throws Exception {
    roundTrip(tls.bootstrapServers(), KafkaClientEnv.clientProperties(Map.of(KafkaClientEnv.PROTOCOL, "SSL",
        KafkaClientEnv.CA_CERTIFICATES, tls.caPem())::get));
  }

  @Test
  void consumesAndWritesCorrectionsOnASaslKafka() throws Exception {
    roundTrip(sasl.bootstrapServers(), KafkaClientEnv.clientProperties(saslEnv()::get));
  }

  @Test
  void withoutTheSettingsTheSaslKafkaGivesTheDashboardNothing() throws Exception {
    Map<String, String> security = KafkaClientEnv.clientProperties(saslEnv()::get);
    String prefix = "pulse.pipeline.plain." + UUID.randomUUID().toString().substring(0, 8) + ".";
    createTopics(sasl.bootstrapServers(), security, List.of(prefix + "scored", prefix + "aggregates",
        prefix + "alerts"));
    send(sasl.bootstrapServers(), security, prefix + "scored", "p1",
        Records.scored("p1", Source.X, "hello", Label.POSITIVE, 0.9, null));
    Collected got = new Collected();
    OutputTopicsConsumer plain = new OutputTopicsConsumer(sasl.bootstrapServers(), Map.of(), prefix + "scored",
        prefix + "aggregates", prefix + "alerts", true, Duration.ofHours(1), Clock.systemUTC(), got,
        new SimpleMeterRegistry(), Duration.ofSeconds(30));
    plain.start();
    try {
      Thread.sleep(10_000);
      assertThat(plain.feedHealth().state()).isNotEqualTo(FeedHealth.State.UP);
      assertThat(got.posts).isEmpty();
    } finally {
      plain.stop();
    }
  }

  private void roundTrip(String bootstrap, Map<String, String> security) throws Exception {
    String prefix = "pulse.pipeline." + UUID.randomUUID().toString().substring(0, 8) + ".";
    String scored = prefix + "scored";
    String labelled = LabelledExamples.topicFor(scored);
    createTopics(bootstrap, security, List.of(scored, prefix + "aggregates", prefix + "alerts", labelled));
    Collected got = new Collected();
    OutputTopicsConsumer consumer = new OutputTopicsConsumer(bootstrap, security, scored, prefix + "aggregates",
        prefix + "alerts", true, Duration.ofHours(1), Clock.systemUTC(), got, new SimpleMeterRegistry(),
        Duration.ofSeconds(30));
    consumer.start();
    try {
      Instant now = Instant.now();
      send(bootstrap, security, scored, "p1", Records.scored("p1", Source.X, "love it", Label.POSITIVE, 0.9, null));
      send(bootstrap, security, prefix + "aggregates", "a",
          Records.aggregate("secure", now, "*", "*", 1, 0, 0, -0.5, List.of()));
      send(bootstrap, security, prefix + "alerts", "c", Records.crisis("secure", now, List.of("p1")));
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while ((got.posts.isEmpty() || got.aggregates.isEmpty() || got.alerts.isEmpty())
          && System.nanoTime() < deadline) {
        Thread.sleep(100);
      }
      assertThat(got.posts).extracting(p -> p.post().id()).containsExactly("p1");
      assertThat(got.aggregates).hasSize(1);
      assertThat(got.alerts).hasSize(1);
      while (consumer.feedHealth().state() != FeedHealth.State.UP && System.nanoTime() < deadline) {
        Thread.sleep(100);
      }
      assertThat(consumer.feedHealth().state()).isEqualTo(FeedHealth.State.UP);
    } finally {
      consumer.stop();
    }
    try (LabelledTopicWriter writer = new LabelledTopicWriter(bootstrap, security, labelled)) {
      writer.write("p1", "{\"label\":\"NEGATIVE\"}".getBytes(StandardCharsets.UTF_8), Duration.ofSeconds(30));
    }
    assertThat(readValues(bootstrap, security, labelled, 1)).containsExactly("{\"label\":\"NEGATIVE\"}");
  }

  /** What the listener was handed. */
  private static final class Collected implements PipelineListener {
    final List<ScoredPost> posts = new CopyOnWriteArrayList<>();
    final List<Aggregate> aggregates = new CopyOnWriteArrayList<>();
    final List<Alert> alerts = new CopyOnWriteArrayList<>();

    @Override
    public void onScoredPost(ScoredPost post) { posts.add(post); }

    @Override
    public void onAggregate(Aggregate aggregate) { aggregates.add(aggregate); }

    @Override
    public void onAlert(Alert alert) { alerts.add(alert); }
  }

  private static Map<String, Object> props(String bootstrap, Map<String, String> security) {
    Map<String, Object> p = new HashMap<>(security);
    p.put("bootstrap.servers", bootstrap);
    return p;
  }

  private static void createTopics(String bootstrap, Map<String, String> security, List<String> topics)
      throws Exception {
    try (Admin admin = Admin.create(props(bootstrap, security))) {
      admin.createTopics(topics.stream().map(t -> new NewTopic(t, 1, (short) 1)).toList()).all()
          .get(60, TimeUnit.SECONDS);
    }
  }

  private static void send(String bootstrap, Map<String, String> security, String topic, String key, Object record)
      throws Exception {
    try (KafkaProducer<String, byte[]> producer =
        new KafkaProducer<>(props(bootstrap, security), new StringSerializer(), new ByteArraySerializer())) {
      producer.send(new ProducerRecord<>(topic, key, EventJson.toBytes(record))).get(60, TimeUnit.SECONDS);
    }
  }

  private static List<String> readValues(String bootstrap, Map<String, String> security, String topic, int atLeast) {
    Map<String, Object> p = props(bootstrap, security);
    p.put(ConsumerConfig.GROUP_ID_CONFIG, "test-" + UUID.randomUUID());
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    List<String> out = new ArrayList<>();
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    try (KafkaConsumer<String, byte[]> consumer =
        new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer())) {
      consumer.subscribe(List.of(topic));
      while (out.size() < atLeast && System.nanoTime() < end) {
        consumer.poll(Duration.ofMillis(500)).forEach(r -> out.add(new String(r.value(), StandardCharsets.UTF_8)));
      }
    }
    return out;
  }
}
