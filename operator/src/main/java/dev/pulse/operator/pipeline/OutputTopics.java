package dev.pulse.operator.pipeline;

import static dev.pulse.operator.pipeline.PipelineDefaults.kafka;
import static dev.pulse.operator.pipeline.PipelineDefaults.or;

import dev.pulse.crd.v1alpha1.SentimentPipeline;
import dev.pulse.crd.v1alpha1.pipeline.PipelineKafka;
import dev.pulse.operator.support.GoDuration;
import dev.pulse.operator.support.OwnedObjects;
import io.strimzi.api.kafka.model.topic.KafkaTopic;
import io.strimzi.api.kafka.model.topic.KafkaTopicBuilder;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The pipeline's output topics as Strimzi KafkaTopics (Strimzi's topic operator creates them in Kafka). */
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

  public static List<KafkaTopic> desired(SentimentPipeline p) {
    return Arrays.stream(Kind.values()).map(k -> topic(p, k)).toList();
  }

  static KafkaTopic topic(SentimentPipeline p, Kind kind) {
    PipelineKafka k = kafka(p);
    long retentionMs = GoDuration.parse(or(k.getRetention(), "168h")).toMillis() * kind.retentionFactor;
    Map<String, Object> config = new LinkedHashMap<>();
    config.put("retention.ms", retentionMs);
    config.put("cleanup.policy", "delete");
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
