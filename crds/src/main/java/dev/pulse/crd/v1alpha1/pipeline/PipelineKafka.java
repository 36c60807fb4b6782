package dev.pulse.crd.v1alpha1.pipeline;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.pulse.crd.common.Validation;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import dev.pulse.crd.v1alpha1.feed.KafkaSecurity;
import dev.pulse.crd.v1alpha1.feed.KafkaTopicConfig;

/**
 * The Kafka cluster of the pipeline's feeds and output topics: a Strimzi cluster (KafkaTopics) or any Kafka reached
 * by its bootstrap servers (topics made by the operator through the Kafka Admin API).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = Validation.KAFKA_EXACTLY_ONE_RULE, message = Validation.KAFKA_EXACTLY_ONE_MESSAGE)
@ValidationRule(value = Validation.KAFKA_MODE_UNCHANGED_RULE, message = Validation.KAFKA_MODE_UNCHANGED_MESSAGE)
@ValidationRule(value = KafkaTopicConfig.MIN_ISR_RULE, message = KafkaTopicConfig.MIN_ISR_MESSAGE)
@ValidationRule(value = "!has(self.security) || has(self.bootstrapServers)", message = "kafka.security applies to kafka.bootstrapServers; for a Strimzi cluster (kafka.clusterName) the Spark job and dashboard use its plain listener <clusterName>-kafka-bootstrap:9092")
public class PipelineKafka {

  @Size(min = 1, max = 63)
  @Pattern(Validation.DNS1123_LABEL_PATTERN)
  @JsonPropertyDescription("Name of a Strimzi Kafka cluster in this namespace: the output topics become KafkaTopics (label strimzi.io/cluster) that Strimzi's topic operator creates, and the Spark job and dashboard use <clusterName>-kafka-bootstrap:9092. Needs Strimzi 0.49 or later (KafkaTopic kafka.strimzi.io/v1; v1beta2 is used where only that is served). Deleting the pipeline deletes its KafkaTopics, and Strimzi then deletes the topics. Set exactly one of clusterName and bootstrapServers; which one cannot be switched later. Feeds on another Kafka are reported in the Topics condition.")
  private String clusterName;

  @Size(min = 1, max = 512)
  @ValidationRule(value = Validation.BOOTSTRAP_SERVERS_RULE, message = Validation.BOOTSTRAP_SERVERS_MESSAGE)
  @JsonPropertyDescription("Bootstrap servers of a Kafka that Strimzi does not manage, as host:port[,host:port], e.g. pulse-kafka:9092 (a bare host name is a Service in this namespace): the Spark job and dashboard connect there, and the operator creates the five output topics itself through the Kafka Admin API (PLAINTEXT unless kafka.security says otherwise), raises their partitions when spec.kafka.partitions grows (never lowers them) and applies retention changes; what it cannot do is reported in the Topics condition. Deleting the pipeline keeps these topics and their data (the operator never deletes topics it does not manage through Strimzi). Set exactly one of clusterName and bootstrapServers.")
  private String bootstrapServers;

  @Default("6")
  @Min(1)
  @Max(1000)
  @JsonPropertyDescription("Partitions of each output topic (scored posts, aggregates, alerts, dead letters, labelled posts). Default 6.")
  private Integer partitions;

  @Default("3")
  @Min(1)
  @Max(10)
  @JsonPropertyDescription("Replication factor of the output topics. Default 3.")
  private Integer replicas;

  @Default("168h")
  @Size(min = 2, max = 32)
  @ValidationRule(value = Validation.DURATION_RULE, message = Validation.DURATION_MESSAGE)
  @JsonPropertyDescription("Retention of the output topics, as a duration. Dead letters are kept 4x longer so they can be inspected. The labelled topic (the LLM's confident disagreements with the light scorer and analysts' corrections, keyed by post id) is compacted instead: the latest label of each post is kept, never expired. Default 168h.")
  private String retention;

  @Size(max = 32)
  @ValidationRule(value = KafkaTopicConfig.KEYS_RULE, message = KafkaTopicConfig.KEYS_MESSAGE)
  @ValidationRule(value = KafkaTopicConfig.CLEANUP_RULE, message = KafkaTopicConfig.CLEANUP_MESSAGE)
  @ValidationRule(value = KafkaTopicConfig.COMPRESSION_RULE, message = KafkaTopicConfig.COMPRESSION_MESSAGE)
  @ValidationRule(value = KafkaTopicConfig.TIMESTAMP_RULE, message = KafkaTopicConfig.TIMESTAMP_MESSAGE)
  @ValidationRule(value = KafkaTopicConfig.UNCLEAN_RULE, message = KafkaTopicConfig.UNCLEAN_MESSAGE)
  @JsonPropertyDescription(KafkaTopicConfig.DESCRIPTION + " Applies to all five output topics (retention.ms here replaces the dead letters' 4x retention too), except cleanup.policy, retention.ms and retention.bytes on the labelled topic, which stays compacted.")
  private java.util.Map<String, @Size(max = 64) String> config;

  @JsonPropertyDescription("TLS and SASL for every Kafka client of the pipeline (kafka.bootstrapServers only), in a SourceFeed's kafka.security shape: the operator's Admin API client for the output topics (it reads the CA and the password from their Secrets), the Spark job's sources and sinks (driver and executors, both launchers) and the dashboard's consumer and labelled-topic producer. The workloads get PULSE_KAFKA_* environment variables, the CA's PEM and the SASL password as secretKeyRefs (never in a ConfigMap, never logged). A missing Secret or key is reported in the Topics condition as SecretMissing. Unset: PLAINTEXT, and no pod changes.")
  private KafkaSecurity security;

  public KafkaSecurity getSecurity() { return security; }
  public void setSecurity(KafkaSecurity security) { this.security = security; }
  public java.util.Map<String, String> getConfig() { return config; }
  public void setConfig(java.util.Map<String, String> config) { this.config = config; }
  public String getClusterName() { return clusterName; }
  public void setClusterName(String clusterName) { this.clusterName = clusterName; }
  public String getBootstrapServers() { return bootstrapServers; }
  public void setBootstrapServers(String bootstrapServers) { this.bootstrapServers = bootstrapServers; }
  public Integer getPartitions() { return partitions; }
  public void setPartitions(Integer partitions) { this.partitions = partitions; }
  public Integer getReplicas() { return replicas; }
  public void setReplicas(Integer replicas) { this.replicas = replicas; }
  public String getRetention() { return retention; }
  public void setRetention(String retention) { this.retention = retention; }
}
