package dev.pulse.scoring.eval;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Labelled posts from a pipeline's labelled topic ({@code dev.pulse.event.LabelledExamples}: the LLM's confident
 * disagreements with the light scorer and analysts' corrections), or from a JSON Lines file of the same records.
 * A source is {@code kafka://HOST:PORT/TOPIC} (read from the beginning to the end offsets it finds; one example per
 * post, the latest record winning, so an analyst's correction overrides the LLM's verdict) or a file path.
 */
public final class LabelledSources {
  private static final Duration READ_TIMEOUT = Duration.ofSeconds(60);

  private LabelledSources() {}

  public static List<LabelledPost> read(String source) {
    if (!source.startsWith("kafka://")) {
      return Datasets.jsonl(Path.of(source));
    }
    try {
      Path tmp = Files.createTempFile("pulse-labelled-", ".jsonl");
      try {
        export(source, tmp);
        return Datasets.jsonl(tmp);
      } finally {
        Files.deleteIfExists(tmp);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Writes the source's records, one JSON object a line: the trainer's dataset layout, for a ModelAdapter's
   * ConfigMap or volume. Returns how many.
   */
  public static int export(String source, Path out) throws IOException {
    List<String> lines = new ArrayList<>();
    if (source.startsWith("kafka://")) {
      URI uri = URI.create(source);
      String topic = uri.getPath() == null ? "" : uri.getPath().replaceFirst("^/", "");
      if (uri.getHost() == null || uri.getPort() < 0 || topic.isEmpty()) {
        throw new DataException(source + ": expected kafka://HOST:PORT/TOPIC");
      }
      for (byte[] value : readTopic(uri.getHost() + ":" + uri.getPort(), topic).values()) {
        lines.add(new String(value, StandardCharsets.UTF_8).strip());
      }
    } else {
      for (String line : Files.readAllLines(Path.of(source), StandardCharsets.UTF_8)) {
        if (!line.isBlank()) lines.add(line.strip());
      }
    }
    if (lines.isEmpty()) throw new DataException(source + ": no labelled posts");
    Files.write(out, lines, StandardCharsets.UTF_8);
    return lines.size();
  }

  /** Every record of the topic up to the end offsets found at the start, by key (the latest per key wins). */
  static Map<String, byte[]> readTopic(String bootstrapServers, String topic) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    p.put(ConsumerConfig.GROUP_ID_CONFIG, "pulse-labelled-" + UUID.randomUUID());
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    Map<String, byte[]> byKey = new LinkedHashMap<>();
    try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(p, new StringDeserializer(),
        new ByteArrayDeserializer())) {
      List<TopicPartition> partitions = consumer.partitionsFor(topic, READ_TIMEOUT).stream()
          .map(i -> new TopicPartition(topic, i.partition())).toList();
      if (partitions.isEmpty()) throw new DataException("kafka topic " + topic + " does not exist");
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions, READ_TIMEOUT);
      long deadline = System.nanoTime() + READ_TIMEOUT.toNanos();
      while (partitions.stream().anyMatch(tp -> consumer.position(tp, READ_TIMEOUT) < end.get(tp))) {
        if (System.nanoTime() > deadline) {
          throw new DataException("kafka topic " + topic + ": not read to its end within " + READ_TIMEOUT);
        }
        for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(500))) {
          String key = r.key() != null ? r.key() : r.topic() + ":" + r.partition() + ":" + r.offset();
          byKey.remove(key); // re-inserted last: the order is that of the latest records
          byKey.put(key, r.value());
        }
      }
    }
    return byKey;
  }
}
