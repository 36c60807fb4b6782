package dev.pulse.labelled;

import java.nio.charset.StandardCharsets;
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
 * A pipeline's labelled topic ({@code dev.pulse.event.LabelledExamples}: the LLM's confident disagreements with the
 * light scorer and analysts' corrections), read from the beginning to the end offsets found at the start. One record
 * per post: the latest per key wins, so an analyst's correction overrides the LLM's verdict, and a tombstone removes
 * the post. Each value is one JSON object, one line of the trainer's dataset.
 */
public final class LabelledTopic {
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);

  private final String bootstrapServers;
  private final String topic;
  private final Map<String, String> clientProperties;
  private final Duration timeout;

  /**
   * @param clientProperties extra consumer settings on top of the reader's own (TLS or SASL settings, later)
   * @param timeout for the metadata, the end offsets and reading up to them, each
   */
  public LabelledTopic(String bootstrapServers, String topic, Map<String, String> clientProperties, Duration timeout) {
    this.bootstrapServers = bootstrapServers;
    this.topic = topic;
    this.clientProperties = Map.copyOf(clientProperties);
    this.timeout = timeout;
  }

  public LabelledTopic(String bootstrapServers, String topic) {
    this(bootstrapServers, topic, Map.of(), DEFAULT_TIMEOUT);
  }

  public String topic() {
    return topic;
  }

  /** The dataset's lines: each post's latest value, stripped, blank ones left out, in the order of those records. */
  public List<String> lines() {
    List<String> lines = new ArrayList<>();
    for (byte[] value : latestByKey().values()) {
      String line = new String(value, StandardCharsets.UTF_8).strip();
      if (!line.isEmpty()) {
        lines.add(line);
      }
    }
    return lines;
  }

  /** Every record up to the end offsets found at the start, by key (the latest per key wins; a tombstone removes). */
  public Map<String, byte[]> latestByKey() {
    Map<String, byte[]> byKey = new LinkedHashMap<>();
    try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(consumerProperties(), new StringDeserializer(),
        new ByteArrayDeserializer())) {
      List<TopicPartition> partitions = consumer.partitionsFor(topic, timeout).stream()
          .map(i -> new TopicPartition(topic, i.partition())).toList();
      if (partitions.isEmpty()) {
        throw new LabelledTopicException(LabelledTopicException.Kind.TOPIC_MISSING,
            "kafka topic " + topic + " does not exist at " + bootstrapServers);
      }
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions, timeout);
      long deadline = System.nanoTime() + timeout.toNanos();
      while (partitions.stream().anyMatch(tp -> consumer.position(tp, timeout) < end.get(tp))) {
        if (System.nanoTime() > deadline) {
          throw new LabelledTopicException(LabelledTopicException.Kind.NOT_READ_TO_END,
              "kafka topic " + topic + ": not read to its end within " + timeout);
        }
        for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(500))) {
          String key = r.key() != null ? r.key() : r.topic() + ":" + r.partition() + ":" + r.offset();
          byKey.remove(key); // re-inserted last: the order is that of the latest records
          if (r.value() != null) {
            byKey.put(key, r.value());
          }
        }
      }
    }
    return byKey;
  }

  private Properties consumerProperties() {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    p.put(ConsumerConfig.GROUP_ID_CONFIG, "pulse-labelled-" + UUID.randomUUID());
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    // A reader must not create the topic it was asked to read (a broker's auto-creation would hide a wrong name).
    p.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false");
    p.putAll(clientProperties);
    return p;
  }
}
