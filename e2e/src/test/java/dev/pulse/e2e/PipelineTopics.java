package dev.pulse.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The pipeline's output topics as the Spark pods wrote them, read from the broker pod: scored posts, dead letters and
 * aggregates, each reduced to what the suite counts against the replay files. Also writes posts into a feed topic
 * the way an ingester does (keyed by post id, ingestedAt stamped), for the checks that need posts at a chosen moment.
 */
final class PipelineTopics {

  private static final ObjectMapper JSON = new ObjectMapper();

  private PipelineTopics() {}

  /** pulse.pipeline.&lt;namespace&gt;.&lt;pipeline&gt;.&lt;suffix&gt; (the operator's PipelineNames.topic). */
  static String topic(String namespace, String pipeline, String suffix) {
    return "pulse.pipeline." + namespace + "." + pipeline + "." + suffix;
  }

  /** One scored post as read: its id, when it was ingested, when the Spark job wrote it (the record's timestamp). */
  record Scored(String id, Instant ingestedAt, Instant writtenAt) {
    Duration latency() {
      return Duration.between(ingestedAt, writtenAt);
    }
  }

  /** One roll-up aggregate (all sources, all cells) of one window. */
  record Window(Instant start, long count) {}

  static List<Scored> scored(String bootstrap, String topic) throws Exception {
    return scored(bootstrap, topic, Map.of());
  }

  /** As above, from the given offsets on (partition → offset; a partition not named: from its start). */
  static List<Scored> scored(String bootstrap, String topic, Map<Integer, Long> from) throws Exception {
    List<Scored> out = new ArrayList<>();
    for (ConsumerRecord<String, String> r : records(bootstrap, topic, from)) {
      JsonNode post = JSON.readTree(r.value()).path("post");
      out.add(new Scored(post.path("id").asText(), Instant.parse(post.path("ingestedAt").asText()),
          Instant.ofEpochMilli(r.timestamp())));
    }
    return out;
  }

  /** Post id (from the original bytes, when they are a post with an id) → the reason it was dead-lettered. */
  static Map<String, String> deadLetters(String bootstrap, String topic) throws Exception {
    return deadLetters(bootstrap, topic, Map.of());
  }

  /** As above, from the given offsets on. */
  static Map<String, String> deadLetters(String bootstrap, String topic, Map<Integer, Long> from) throws Exception {
    Map<String, String> out = new LinkedHashMap<>();
    for (ConsumerRecord<String, String> r : records(bootstrap, topic, from)) {
      JsonNode letter = JSON.readTree(r.value());
      String original = new String(Base64.getDecoder().decode(letter.path("originalBase64").asText()),
          StandardCharsets.UTF_8);
      String id;
      try {
        id = JSON.readTree(original).path("id").asText("<no id>");
      } catch (Exception notJson) {
        id = "<not JSON at offset " + letter.path("offset").asLong() + ">";
      }
      out.put(id, letter.path("error").asText());
    }
    return out;
  }

  /**
   * The roll-up windows, one per window start. The Kafka sink is at-least-once, so a micro-batch re-run after a crash
   * may write a window's row again: identical repeats collapse here, and a window seen with two different counts
   * fails (that would be a double count, not a repeat).
   */
  static Map<Instant, Window> rollUpWindows(String bootstrap, String topic) throws Exception {
    Map<Instant, Window> out = new HashMap<>();
    for (ConsumerRecord<String, String> r : records(bootstrap, topic)) {
      JsonNode a = JSON.readTree(r.value());
      if (!"*".equals(a.path("source").asText()) || !"*".equals(a.path("geoCell").asText())) {
        continue;
      }
      Window w = new Window(Instant.parse(a.path("windowStart").asText()), a.path("count").asLong());
      Window before = out.putIfAbsent(w.start(), w);
      if (before != null && before.count() != w.count()) {
        throw new AssertionError("window " + w.start() + " was written with counts " + before.count() + " and "
            + w.count());
      }
    }
    return out;
  }

  /** Writes posts into a feed topic as an ingester does: JSON of Pulse's post schema, keyed by id, ingestedAt now. */
  static void post(String bootstrap, String topic, String feed, List<String> ids, Instant ingestedAt) throws Exception {
    post(bootstrap, topic, feed, ids, ingestedAt, Duration.ZERO);
  }

  /** As above, {@code every} apart (a steady rate; each post stamped when it is sent). */
  static void post(String bootstrap, String topic, String feed, List<String> ids, Instant ingestedAt, Duration every)
      throws Exception {
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    try (KafkaProducer<String, String> producer =
             new KafkaProducer<>(props, new StringSerializer(), new StringSerializer())) {
      for (String id : ids) {
        Instant at = ingestedAt == null ? Instant.now() : ingestedAt;
        String json = JSON.writeValueAsString(Map.of("schemaVersion", 1, "id", id, "source", "REPLAY", "feed", feed,
            "text", "Post " + id + " about Northwind, written while the pipeline was suspended", "lang", "en",
            "createdAt", at.toString(), "ingestedAt", at.toString()));
        producer.send(new ProducerRecord<>(topic, id, json)).get();
        if (!every.isZero()) {
          Thread.sleep(every.toMillis());
        }
      }
    }
  }

  /** Every record of the topic, from the start to its end when called. */
  static List<ConsumerRecord<String, String>> records(String bootstrap, String topic) throws Exception {
    return records(bootstrap, topic, Map.of());
  }

  /** Partition → its end offset now: where a later read of only the records written after now starts. */
  static Map<Integer, Long> endOffsets(String bootstrap, String topic) {
    try (KafkaConsumer<String, String> consumer = consumer(bootstrap)) {
      List<TopicPartition> partitions = new ArrayList<>();
      consumer.partitionsFor(topic, Duration.ofSeconds(20))
          .forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
      Map<Integer, Long> out = new HashMap<>();
      consumer.endOffsets(partitions, Duration.ofSeconds(20)).forEach((p, offset) -> out.put(p.partition(), offset));
      return out;
    }
  }

  private static KafkaConsumer<String, String> consumer(String bootstrap) {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(ConsumerConfig.GROUP_ID_CONFIG, "pulse-e2e-" + UUID.randomUUID());
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    return new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer());
  }

  /** The records of the topic from the given offsets (a partition not named: from its start) to its end when called. */
  static List<ConsumerRecord<String, String>> records(String bootstrap, String topic, Map<Integer, Long> from)
      throws Exception {
    List<ConsumerRecord<String, String>> out = new ArrayList<>();
    try (KafkaConsumer<String, String> consumer = consumer(bootstrap)) {
      List<TopicPartition> partitions = new ArrayList<>();
      consumer.partitionsFor(topic, Duration.ofSeconds(20))
          .forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      partitions.stream().filter(p -> from.containsKey(p.partition()))
          .forEach(p -> consumer.seek(p, from.get(p.partition())));
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions, Duration.ofSeconds(20));
      long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
      while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p)) && System.nanoTime() < deadline) {
        consumer.poll(Duration.ofSeconds(1)).forEach(out::add);
      }
    }
    return out;
  }

  /** Percentile (nearest rank) of sorted millisecond values. */
  static long percentile(List<Long> sortedMillis, double p) {
    if (sortedMillis.isEmpty()) {
      return -1;
    }
    int rank = (int) Math.ceil(p * sortedMillis.size());
    return sortedMillis.get(Math.max(0, Math.min(sortedMillis.size() - 1, rank - 1)));
  }
}
