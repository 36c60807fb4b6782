package dev.pulse.labelled;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pulse.testsupport.kafka.EmbeddedKafka;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The labelled topic read and exported against a real broker: the latest record per post wins, a tombstone removes
 * a post, and each failure the ModelAdapter's init container can meet has its exit code and termination message.
 */
class ExportLabelledTest {
  private static final EmbeddedKafka KAFKA = EmbeddedKafka.shared();

  @TempDir Path dir;

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  @Test
  void theLatestRecordPerPostWinsAndATombstoneRemovesThePost() throws Exception {
    String topic = newTopic();
    send(topic, "x:1", "{\"postId\":\"x:1\",\"text\":\"lost my bag\",\"label\":\"negative\",\"source\":\"llm\"}");
    send(topic, "x:2", "{\"postId\":\"x:2\",\"text\":\"crew were lovely\",\"label\":\"positive\",\"source\":\"llm\"}");
    send(topic, "x:3", "{\"postId\":\"x:3\",\"text\":\"spam\",\"label\":\"neutral\",\"source\":\"llm\"}");
    send(topic, "x:1", "{\"postId\":\"x:1\",\"text\":\"lost my bag\",\"label\":\"neutral\",\"source\":\"analyst\"}");
    send(topic, "x:3", null);

    List<String> lines = new LabelledTopic(KAFKA.bootstrapServers(), topic).lines();

    assertThat(lines).containsExactlyInAnyOrder(
        "{\"postId\":\"x:2\",\"text\":\"crew were lovely\",\"label\":\"positive\",\"source\":\"llm\"}",
        "{\"postId\":\"x:1\",\"text\":\"lost my bag\",\"label\":\"neutral\",\"source\":\"analyst\"}");
  }

  @Test
  void anExportWritesOneLinePerPostAndNoTerminationMessage() throws Exception {
    String topic = newTopic();
    send(topic, "x:1", "{\"postId\":\"x:1\",\"text\":\"lost my bag\",\"label\":\"negative\"}\n");
    send(topic, "x:2", "{\"postId\":\"x:2\",\"text\":\"crew were lovely\",\"label\":\"positive\"}");
    Path file = dir.resolve("labelled.jsonl");
    Path log = dir.resolve("termination-log");

    int code = run("--bootstrap-servers", KAFKA.bootstrapServers(), "--topic", topic, "--out", file.toString(),
        "--min-posts", "2", "--termination-log", log.toString());

    assertThat(code).as(err.toString()).isZero();
    assertThat(Files.readAllLines(file, StandardCharsets.UTF_8)).containsExactlyInAnyOrder(
        "{\"postId\":\"x:1\",\"text\":\"lost my bag\",\"label\":\"negative\"}",
        "{\"postId\":\"x:2\",\"text\":\"crew were lovely\",\"label\":\"positive\"}");
    assertThat(out.toString()).contains("wrote 2 labelled posts");
    assertThat(log).doesNotExist();
  }

  @Test
  void aMissingTopicIsBadInputWithATerminationMessageAndIsNotCreated() throws Exception {
    String topic = "pulse.pipeline.test.missing-" + UUID.randomUUID() + ".labelled";
    Path log = dir.resolve("termination-log");
    Path file = dir.resolve("labelled.jsonl");

    int code = run("--bootstrap-servers", KAFKA.bootstrapServers(), "--topic", topic, "--out", file.toString(),
        "--termination-log", log.toString());

    assertThat(code).isEqualTo(ExportLabelled.EXIT_BAD_INPUT);
    assertThat(Files.readString(log)).isEqualTo("{\"phase\":\"Failed\",\"reason\":\"DatasetError\",\"message\":"
        + "\"kafka topic " + topic + " does not exist at " + KAFKA.bootstrapServers() + "\"}\n");
    assertThat(file).doesNotExist();
    try (Admin admin = Admin.create(adminProperties())) {
      assertThat(admin.listTopics().names().get()).as("the reader never auto-creates the topic").doesNotContain(topic);
    }
  }

  @Test
  void anEmptyTopicOrFewerPostsThanAskedForIsBadInput() throws Exception {
    String topic = newTopic();
    Path log = dir.resolve("termination-log");
    Path file = dir.resolve("labelled.jsonl");

    assertThat(run("--bootstrap-servers", KAFKA.bootstrapServers(), "--topic", topic, "--out", file.toString(),
        "--termination-log", log.toString())).isEqualTo(ExportLabelled.EXIT_BAD_INPUT);
    assertThat(Files.readString(log)).contains("\"reason\":\"DatasetError\"")
        .contains("holds 0 labelled posts, fewer than the 1 required");

    send(topic, "x:1", "{\"postId\":\"x:1\",\"text\":\"ok\",\"label\":\"neutral\"}");
    assertThat(run("--bootstrap-servers", KAFKA.bootstrapServers(), "--topic", topic, "--out", file.toString(),
        "--min-posts", "5", "--termination-log", log.toString())).isEqualTo(ExportLabelled.EXIT_BAD_INPUT);
    assertThat(Files.readString(log)).contains("holds 1 labelled posts, fewer than the 5 required");
    assertThat(file).doesNotExist();
  }

  @Test
  void badArgumentsAreBadInputAndHelpIsNot() {
    assertThat(run("--topic", "t")).isEqualTo(ExportLabelled.EXIT_BAD_INPUT);
    assertThat(err.toString()).contains("--bootstrap-servers, --topic and --out are required");
    assertThat(run("--bootstrap-servers", "b:9092", "--topic", "t", "--out", "f", "--min-posts", "0"))
        .isEqualTo(ExportLabelled.EXIT_BAD_INPUT);
    assertThat(run("--help")).isZero();
    assertThat(out.toString()).contains("Usage: ExportLabelled");
  }

  @Test
  void theFailureReportIsOneLineOfJson() {
    assertThat(ExportLabelled.failureReport("a \"quoted\"\nline\\"))
        .isEqualTo("{\"phase\":\"Failed\",\"reason\":\"DatasetError\",\"message\":\"a \\\"quoted\\\"\\nline\\\\\"}\n");
  }

  @Test
  void aMissingTopicThrowsTheTopicMissingKind() {
    assertThatThrownBy(() -> new LabelledTopic(KAFKA.bootstrapServers(), "no-such-" + UUID.randomUUID()).lines())
        .isInstanceOfSatisfying(LabelledTopicException.class,
            e -> assertThat(e.kind()).isEqualTo(LabelledTopicException.Kind.TOPIC_MISSING));
  }

  private int run(String... args) {
    return ExportLabelled.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  private static String newTopic() {
    String topic = "pulse.pipeline.test.p-" + UUID.randomUUID() + ".labelled";
    KAFKA.createTopic(topic, 2);
    return topic;
  }

  private static void send(String topic, String key, String value) throws Exception {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers());
    try (KafkaProducer<String, String> producer = new KafkaProducer<>(p, new StringSerializer(),
        new StringSerializer())) {
      producer.send(new ProducerRecord<>(topic, key, value)).get();
    }
  }

  private static Properties adminProperties() {
    Properties p = new Properties();
    p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers());
    return p;
  }
}
