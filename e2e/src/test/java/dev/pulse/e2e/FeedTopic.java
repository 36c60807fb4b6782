package dev.pulse.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/** Reads the broker pod from the host (its pod IP is routed through the node's bridge): topics and posts. */
final class FeedTopic {

  private static final ObjectMapper JSON = new ObjectMapper();

  private FeedTopic() {}

  static Set<String> topics(String bootstrap) throws Exception {
    try (Admin admin = admin(bootstrap)) {
      return admin.listTopics().names().get();
    }
  }

  // Kafka refuses a default API timeout below the request timeout: both are set.
  private static Admin admin(String bootstrap) {
    return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
        AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 15_000, AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 20_000));
  }

  /** Post id → how many times it is in the topic, reading every partition from the start to its current end. */
  static Map<String, Integer> postIds(String bootstrap, String topic) throws Exception {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(ConsumerConfig.GROUP_ID_CONFIG, "pulse-e2e-" + UUID.randomUUID());
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    Map<String, Integer> counts = new HashMap<>();
    try (KafkaConsumer<String, String> consumer =
             new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer())) {
      List<TopicPartition> partitions = new ArrayList<>();
      consumer.partitionsFor(topic, Duration.ofSeconds(20))
          .forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions, Duration.ofSeconds(20));
      long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
      while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p)) && System.nanoTime() < deadline) {
        for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofSeconds(1))) {
          JsonNode post = JSON.readTree(record.value());
          counts.merge(post.path("id").asText("<no id>"), 1, Integer::sum);
        }
      }
    }
    return counts;
  }
}
