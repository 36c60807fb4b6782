package dev.pulse.operator.kafka;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A topic as a resource asks for it, for a Kafka the operator manages topics on directly (no Strimzi).
 *
 * @param name the topic's name in Kafka
 * @param partitions partitions wanted; the operator raises a topic's partitions to this, never lowers them
 * @param replicas replication factor; applied at creation only
 * @param config topic configs the operator owns (retention.ms, cleanup.policy); others set on the topic are left alone
 */
public record TopicRequest(String name, int partitions, int replicas, Map<String, String> config) {

  public TopicRequest {
    config = config == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(config));
  }
}
