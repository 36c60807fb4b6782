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

  /**
   * The five outputs; dead letters are kept four times longer so a person has time to inspect them. LABELLED is the
   * closed loop's topic (event's {@code LabelledExamples}): the LLM's confident disagreements with the light scorer,
   * written by the Spark job, and analysts' corrections, written by the dashboard, for the next adapter and light
   * scorer to learn from; compacted, never expired (see {@link #config}).
   */
  public enum Kind {
    SCORED("scored", 1), AGGREGATES("aggregates", 1), ALERTS("alerts", 1), DEAD_LETTERS("dead-letters", 4),
    LABELLED("labelled", 1);

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

  /** The five topics for a Kafka without Strimzi. */
  public static List<TopicRequest> requests(SentimentPipeline p) {
    PipelineKafka k = kafka(p);
    return Arrays.stream(Kind.values()).map(kind -> {
      Map<String, String> config = new LinkedHashMap<>();
      config(p, kind).forEach((key, value) -> config.put(key, String.valueOf(value)));
      return new TopicRequest(PipelineNames.topic(p, kind), or(k.getPartitions(), 6), or(k.getReplicas(), 3), config);
    }).toList();
  }

  /** What spec.kafka.config cannot change on the labelled topic: the keys that would let labels expire. */
  static final java.util.Set<String> LABELLED_KEEPS = java.util.Set.of("cleanup.policy", "retention.ms",
      "retention.bytes");

  /**
   * The stream outputs are deleted after spec.kafka.retention. The labelled topic is compacted instead: its records
   * are keyed by post id, and a training set wants the latest label of each post (an analyst's correction after the
   * LLM's verdict replaces it, as train-scorer's reader does) for as long as the pipeline lives, not one week of
   * them; compaction keeps exactly that, and the topic stays as small as the number of labelled posts.
   */
  private static Map<String, Object> config(SentimentPipeline p, Kind kind) {
    Map<String, Object> config = new LinkedHashMap<>();
    if (kind == Kind.LABELLED) {
      config.put("cleanup.policy", "compact");
    } else {
      long retentionMs = Durations.parse(or(kafka(p).getRetention(), "168h")).toMillis() * kind.retentionFactor;
      config.put("retention.ms", retentionMs);
      config.put("cleanup.policy", "delete");
    }
    // spec.kafka.config as the user wrote it (CEL allows only topic configs); its keys win over the two above,
    // except, on the labelled topic, those that would make labels expire.
    Map<String, String> extra = kafka(p).getConfig();
    if (extra != null) {
      new java.util.TreeMap<>(extra).forEach((key, value) -> {
        if (kind != Kind.LABELLED || !LABELLED_KEEPS.contains(key)) config.put(key, value);
      });
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
