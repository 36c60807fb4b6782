package dev.pulse.operator.pipeline;

import static dev.pulse.operator.pipeline.PipelineDefaults.kafka;
import static dev.pulse.operator.pipeline.PipelineDefaults.or;

import dev.pulse.crd.v1alpha1.SentimentPipeline;
import dev.pulse.crd.v1alpha1.pipeline.PipelineKafka;
import dev.pulse.operator.kafka.TopicRequest;
import dev.pulse.contract.Durations;
import dev.pulse.operator.support.OwnedObjects;
import io.strimzi.api.kafka.model.topic.KafkaTopic;
import io.strimzi.api.kafka.model.topic.KafkaTopicBuilder;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The pipeline's output topics: as Strimzi KafkaTopics (Strimzi's topic operator creates them in Kafka) when the
 * pipeline names a Strimzi cluster, or as {@link TopicRequest}s the operator makes through the Kafka Admin API when it
 * names bootstrap servers. Same partitions, replicas and config either way.
 */
public final class OutputTopics {

  /** The four outputs; dead letters are kept four times longer so a person has time to inspect them. */
  public enum Kind {
    SCORED("scored", 1), AGGREGATES("aggregates", 1), ALERTS("alerts", 1), DEAD_LETTERS("dead-letters", 4);

    private final String suffix;
    private final int retentionFactor;

    Kind(String suffix, int retentionFactor) {
      this.suffix = suffix;
      this.retentionFactor = retentionFactor;
    }

    public String suffix() { return suffix; }
  }

  /** The Strimzi label that tells the topic operator which Kafka cluster the topic belongs to. */
  public static final String CLUSTER_LABEL = "strimzi.io/cluster";

  private OutputTopics() {}

  public static List<String> names(SentimentPipeline p) {
    return Arrays.stream(Kind.values()).map(k -> PipelineNames.topic(p, k)).toList();
  }

  /** True when the pipeline names a Strimzi cluster (KafkaTopics); false with kafka.bootstrapServers (Admin API). */
  public static boolean usesStrimzi(SentimentPipeline p) {
    return kafka(p).getClusterName() != null;
  }

  /** KafkaTopics, for a pipeline on a Strimzi cluster; none otherwise. */
  public static List<KafkaTopic> desired(SentimentPipeline p) {
    return usesStrimzi(p) ? Arrays.stream(Kind.values()).map(k -> topic(p, k)).toList() : List.of();
  }

  /** The four topics for a Kafka without Strimzi. */
  public static List<TopicRequest> requests(SentimentPipeline p) {
    PipelineKafka k = kafka(p);
    return Arrays.stream(Kind.values()).map(kind -> {
      Map<String, String> config = new LinkedHashMap<>();
      config(p, kind).forEach((key, value) -> config.put(key, String.valueOf(value)));
      return new TopicRequest(PipelineNames.topic(p, kind), or(k.getPartitions(), 6), or(k.getReplicas(), 3), config);
    }).toList();
  }

  private static Map<String, Object> config(SentimentPipeline p, Kind kind) {
    long retentionMs = Durations.parse(or(kafka(p).getRetention(), "168h")).toMillis() * kind.retentionFactor;
    Map<String, Object> config = new LinkedHashMap<>();
    config.put("retention.ms", retentionMs);
    config.put("cleanup.policy", "delete");
    // spec.kafka.config as the user wrote it (CEL allows only topic configs); its keys win over the two above.
    Map<String, String> extra = kafka(p).getConfig();
    if (extra != null) {
      new java.util.TreeMap<>(extra).forEach(config::put);
    }
    return config;
  }

  static KafkaTopic topic(SentimentPipeline p, Kind kind) {
    PipelineKafka k = kafka(p);
    Map<String, Object> config = config(p, kind);
    KafkaTopic topic = new KafkaTopicBuilder()
        .withMetadata(OwnedObjects.metadata(p, PipelineNames.kafkaTopicObject(p, kind), PipelineNames.TOPICS))
        .withNewSpec()
          .withTopicName(PipelineNames.topic(p, kind))
          .withPartitions(or(k.getPartitions(), 6))
          .withReplicas(or(k.getReplicas(), 3))
          .withConfig(config)
        .endSpec()
        .build();
    topic.getMetadata().getLabels().put(CLUSTER_LABEL, k.getClusterName());
    return topic;
  }
}
