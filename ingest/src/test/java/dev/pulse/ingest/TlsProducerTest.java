package dev.pulse.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pulse.contract.IngestConfig;
import dev.pulse.event.Engagement;
import dev.pulse.event.EventJson;
import dev.pulse.event.Post;
import dev.pulse.event.Source;
import dev.pulse.testsupport.kafka.TlsKafka;
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
 * The ingester's producer over TLS to a real broker whose client listener speaks only SSL, with a certificate for
 * localhost made by keytool for this test: trusting it through {@code kafka.security.caFile} (a PEM file, as the
 * operator mounts the CA Secret) delivers the posts; without the CA the handshake fails and nothing is sent.
 */
class TlsProducerTest {
  @TempDir Path dir;
  private static TlsKafka cluster;
  private static Path caPem;

  @BeforeAll
  static void start() throws Exception {
    cluster = TlsKafka.start();
    caPem = cluster.caFile();
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
    p.putAll(KafkaSecurity.clientProperties(new IngestConfig.Security("SSL", caPem.toString(), null), Map.of()));
    return p;
  }

  private String config(Path file, String topic, String security) {
    return """
        feed: replay
        type: REPLAY
        replay: {file: %s, rate: 0}
        kafka:
          bootstrapServers: %s
          topic: %s
          security: %s
        checkpointFile: %s
        metricsPort: -1
        """.formatted(file, cluster.bootstrapServers(), topic, security, dir.resolve("cursor.json"));
  }

  @Test
  void postsArriveOverTlsTrustingTheMountedCaFile() throws Exception {
    String topic = "tls-feed";
    try (Admin admin = Admin.create(client())) {
      admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get();
    }
    List<String> lines = new ArrayList<>();
    Instant t = Instant.parse("2026-11-24T20:00:00Z");
    for (int i = 0; i < 10; i++) {
      lines.add(EventJson.toJson(Post.of("replay:" + i, Source.REPLAY, "r", null, "acme " + i, "en", t, t, null, null,
          Engagement.NONE)));
    }
    Path file = dir.resolve("posts.jsonl");
    Files.write(file, lines);
    String yaml = config(file, topic, "{protocol: SSL, caFile: " + caPem + "}");
    try (Ingester ingester = TestSupport.ingester(yaml, Map.of())) {
      ingester.run(0);
      assertThat(ingester.metrics().count("pulse.ingest.posts.produced")).isEqualTo(10);
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
      while (read < 10 && Instant.now().isBefore(deadline)) {
        read += consumer.poll(Duration.ofMillis(500)).count();
      }
    }
    assertThat(read).isEqualTo(10);
  }

  @Test
  void withoutTheCaTheHandshakeFailsAndNothingIsSent() throws Exception {
    String topic = "tls-untrusted";
    try (Admin admin = Admin.create(client())) {
      admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get();
    }
    Path file = dir.resolve("posts.jsonl");
    Instant t = Instant.parse("2026-11-24T20:00:00Z");
    Files.writeString(file, EventJson.toJson(Post.of("replay:x", Source.REPLAY, "r", null, "acme", "en", t, t, null,
        null, Engagement.NONE)) + "\n");
    try (var logs = new TestSupport.LogCapture();
        Ingester ingester = TestSupport.ingester(config(file, topic, "{protocol: SSL}"), Map.of())) {
      Thread running = new Thread(() -> {
        try {
          ingester.run(0);
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      });
      running.start();
      Instant deadline = Instant.now().plusSeconds(60);
      while (!logs.all().contains("could not read the cursor stored on the topic") && Instant.now().isBefore(deadline)) {
        Thread.sleep(200);
      }
      ingester.stop();
      running.join(Duration.ofMinutes(2).toMillis());
      assertThat(logs.all()).contains("could not read the cursor stored on the topic");
      assertThat(ingester.metrics().count("pulse.ingest.posts.produced")).isZero();
      assertThat(ingester.health().ready()).isFalse();
    }
  }
}
