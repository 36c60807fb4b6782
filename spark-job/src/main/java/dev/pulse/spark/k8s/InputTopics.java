package dev.pulse.spark.k8s;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Waits for the feed topics before the queries start. On a cluster the driver can start before the feeds' topics
 * exist (the SourceFeed's reconcile makes them); Spark's Kafka source then fails the query with
 * UnknownTopicOrPartition, the driver pod restarts, and a restart that finds a planned but uncommitted batch in the
 * offset log runs into a Spark 4.1.1 fault in the Kafka source's progress metrics (one more restart). Waiting here
 * costs nothing once the topics exist.
 */
public final class InputTopics {

  private static final Logger LOG = LoggerFactory.getLogger(InputTopics.class);

  private InputTopics() {}

  /** Returns the topics still missing when {@code deadline} passed (empty: all exist). */
  public static List<String> await(String bootstrapServers, List<String> topics, Duration deadline) {
    return await(bootstrapServers, Map.of(), topics, deadline);
  }

  /** As {@link #await(String, List, Duration)}, with the pipeline's Kafka TLS/SASL client settings. */
  public static List<String> await(String bootstrapServers, Map<String, String> security, List<String> topics,
      Duration deadline) {
    long end = System.nanoTime() + deadline.toNanos();
    List<String> missing = new ArrayList<>(topics);
    Map<String, Object> props = new java.util.HashMap<>(security);
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
    props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 15_000);
    try (Admin admin = Admin.create(props)) {
      long nextLog = 0;
      while (true) {
        try {
          Set<String> existing = admin.listTopics().names().get(20, TimeUnit.SECONDS);
          missing = topics.stream().filter(t -> !existing.contains(t)).toList();
        } catch (Exception e) {
          LOG.warn("cannot list topics on {} yet: {}", bootstrapServers, e.toString());
        }
        if (missing.isEmpty() || System.nanoTime() > end) {
          return missing;
        }
        if (System.nanoTime() > nextLog) {
          LOG.info("waiting for feed topic(s) {} on {}", missing, bootstrapServers);
          nextLog = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        }
        Thread.sleep(2_000);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return missing;
    }
  }
}
