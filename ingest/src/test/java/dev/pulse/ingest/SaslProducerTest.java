package dev.pulse.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pulse.contract.IngestConfig;
import dev.pulse.event.Engagement;
import dev.pulse.event.EventJson;
import dev.pulse.event.Post;
import dev.pulse.event.Source;
import dev.pulse.testsupport.kafka.SaslKafka;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ingester's producer on a Kafka that requires SASL (a real broker in this JVM: Kafka's cluster kit with
 * SASL_PLAINTEXT/PLAIN listeners and its own users): the credentials come only from the environment, the posts and
 * the cursor arrive, and no log line carries the password.
 */
class SaslProducerTest {
  private static final String USER = SaslKafka.USER;
  private static final String PASSWORD = SaslKafka.PASSWORD;
  private static SaslKafka cluster;

  @TempDir Path dir;

  @BeforeAll
  static void start() throws Exception {
    cluster = SaslKafka.start();
  }

  @AfterAll
  static void stop() throws Exception {
    if (cluster != null) {
      cluster.close();
    }
  }

  private static Properties client() {
    Properties p = new Properties();
    p.put("bootstrap.servers", cluster.bootstrapServers());
    p.putAll(KafkaSecurity.clientProperties(new IngestConfig.Security("SASL_PLAINTEXT", null, "PLAIN"),
        Map.of(KafkaSecurity.USERNAME_ENV, USER, KafkaSecurity.PASSWORD_ENV, PASSWORD)));
    return p;
  }

  private String config(Path file, String topic) {
    return """
        feed: replay
        type: REPLAY
        replay: {file: %s, rate: 0}
        kafka:
          bootstrapServers: %s
          topic: %s
          security: {protocol: SASL_PLAINTEXT, saslMechanism: PLAIN}
        checkpointFile: %s
        metricsPort: -1
        """.formatted(file, cluster.bootstrapServers(), topic, dir.resolve("cursor.json"));
  }

  @Test
  void postsArriveOverSaslWithCredentialsFromTheEnvironmentOnly() throws Exception {
    String topic = "sasl-feed";
    try (Admin admin = Admin.create(client())) {
      admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get();
    }
    List<String> lines = new ArrayList<>();
    Instant t = Instant.parse("2026-11-24T20:00:00Z");
    for (int i = 0; i < 25; i++) {
      lines.add(EventJson.toJson(Post.of("replay:" + i, Source.REPLAY, "r", null, "acme " + i, "en", t, t, null, null,
          Engagement.NONE)));
    }
    Path file = dir.resolve("posts.jsonl");
    Files.write(file, lines);
    Map<String, String> env = Map.of(KafkaSecurity.USERNAME_ENV, USER, KafkaSecurity.PASSWORD_ENV, PASSWORD);
    try (var logs = new TestSupport.LogCapture()) {
      try (Ingester ingester = new Ingester(IngestConfig.parse(config(file, topic)), env, Http.defaultClient(),
          java.time.Clock.systemUTC(), c -> Ingester.kafkaSink(c, env))) {
        ingester.run(0);
        assertThat(ingester.metrics().count("pulse.ingest.posts.produced")).isEqualTo(25);
      }
      assertThat(logs.all()).doesNotContain(PASSWORD);
    }
    Properties p = client();
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    int read = 0;
    try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(p, new StringDeserializer(),
        new StringDeserializer())) {
      TopicPartition partition = new TopicPartition(topic, 0);
      consumer.assign(List.of(partition));
      consumer.seekToBeginning(List.of(partition));
      Instant deadline = Instant.now().plusSeconds(60);
      while (read < 25 && Instant.now().isBefore(deadline)) {
        read += consumer.poll(Duration.ofMillis(500)).count();
      }
    }
    assertThat(read).isEqualTo(25);
  }

  @Test
  void aSaslConfigWithoutItsCredentialsInTheEnvironmentIsRefusedAtStart() throws Exception {
    Path file = dir.resolve("none.jsonl");
    Files.writeString(file, "");
    assertThatThrownBy(() -> new Ingester(IngestConfig.parse(config(file, "x")), Map.of(), Http.defaultClient(),
        java.time.Clock.systemUTC(), c -> Ingester.kafkaSink(c, Map.of())))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("KAFKA_SASL_USERNAME");
  }

  @Test
  void theJaasConfigEscapesQuotesInCredentials() {
    Map<String, String> p = KafkaSecurity.clientProperties(new IngestConfig.Security("SASL_SSL", "/ca.pem", null),
        Map.of(KafkaSecurity.USERNAME_ENV, "u", KafkaSecurity.PASSWORD_ENV, "pa\"ss\\word"));
    assertThat(p).containsEntry("security.protocol", "SASL_SSL").containsEntry("ssl.truststore.type", "PEM")
        .containsEntry("ssl.truststore.location", "/ca.pem").containsEntry("sasl.mechanism", "SCRAM-SHA-512");
    assertThat(p.get("sasl.jaas.config")).isEqualTo("org.apache.kafka.common.security.scram.ScramLoginModule "
        + "required username=\"u\" password=\"pa\\\"ss\\\\word\";");
  }
}
