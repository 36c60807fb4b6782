package dev.pulse.testsupport.kafka;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * Creates topics that do not exist yet (local mode and tests; in a cluster the operator creates them through
 * Strimzi). Writing to a topic the broker auto-creates races its leader election, and the idempotent producer of
 * Spark's Kafka sink can then stall on OUT_OF_ORDER_SEQUENCE_NUMBER; creating the topics first avoids that.
 */
public final class KafkaTopics {
  private KafkaTopics() {}

  public static void ensure(String bootstrapServers, Collection<String> topics, int partitions) {
    ensure(bootstrapServers, topics, partitions, Map.of());
  }

  /** As {@link #ensure(String, Collection, int)}, with topic configs (e.g. cleanup.policy) for the topics it creates. */
  public static void ensure(String bootstrapServers, Collection<String> topics, int partitions,
      Map<String, String> configs) {
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
      Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
      List<NewTopic> missing = topics.stream().distinct().filter(t -> !existing.contains(t))
          .map(t -> new NewTopic(t, partitions, (short) 1).configs(configs)).toList();
      if (missing.isEmpty()) return;
      try {
        admin.createTopics(missing).all().get(30, TimeUnit.SECONDS);
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof TopicExistsException)) throw e;
      }
      // Wait until every partition has a leader, so the first write does not race the election.
      for (int i = 0; i < 100; i++) {
        try {
          var described = admin.describeTopics(missing.stream().map(NewTopic::name).toList()).allTopicNames()
              .get(30, TimeUnit.SECONDS);
          if (described.values().stream().allMatch(d -> d.partitions().stream().allMatch(p -> p.leader() != null))) {
            return;
          }
        } catch (ExecutionException e) {
          // Right after creation a broker whose metadata lags can still say the topic does not exist.
          if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) throw e;
        }
        Thread.sleep(100);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while creating topics " + topics, e);
    } catch (Exception e) {
      throw new IllegalStateException("could not create Kafka topics " + topics + ": " + e.getMessage(), e);
    }
  }
}
