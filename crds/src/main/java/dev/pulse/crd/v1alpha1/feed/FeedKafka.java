package dev.pulse.crd.v1alpha1.feed;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.pulse.crd.common.Validation;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/**
 * The Kafka cluster a feed writes to, and its topic's settings: either a Strimzi cluster (the operator creates a
 * KafkaTopic and Strimzi's topic operator makes the topic) or any Kafka reached by its bootstrap servers (the
 * operator makes the topic itself through the Kafka Admin API).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = Validation.KAFKA_EXACTLY_ONE_RULE, message = Validation.KAFKA_EXACTLY_ONE_MESSAGE)
@ValidationRule(value = Validation.KAFKA_MODE_UNCHANGED_RULE, message = Validation.KAFKA_MODE_UNCHANGED_MESSAGE)
@ValidationRule(value = KafkaTopicConfig.MIN_ISR_RULE, message = KafkaTopicConfig.MIN_ISR_MESSAGE)
@ValidationRule(value = "!has(self.security) || has(self.bootstrapServers)", message = "kafka.security applies to kafka.bootstrapServers; for a Strimzi cluster (kafka.clusterName) the operator and ingester use its plain listener <clusterName>-kafka-bootstrap:9092")
public class FeedKafka {

  @Size(min = 1, max = 63)
  @Pattern(Validation.DNS1123_LABEL_PATTERN)
  @ValidationRule(value = "self == oldSelf", message = "kafka.clusterName cannot be changed: the topic and its data live in the old cluster; create a new SourceFeed instead")
  @JsonPropertyDescription("Name of a Strimzi Kafka cluster in this namespace: the operator creates a KafkaTopic (label strimzi.io/cluster) and Strimzi's topic operator creates the topic; the ingester writes to <clusterName>-kafka-bootstrap:9092. Needs Strimzi 0.49 or later (KafkaTopic kafka.strimzi.io/v1; v1beta2 is used where only that is served). Set exactly one of clusterName and bootstrapServers; which one cannot be switched later. Deleting the SourceFeed deletes the KafkaTopic, and Strimzi then deletes the topic and its posts.")
  private String clusterName;

  @Size(min = 1, max = 512)
  @ValidationRule(value = Validation.BOOTSTRAP_SERVERS_RULE, message = Validation.BOOTSTRAP_SERVERS_MESSAGE)
  @JsonPropertyDescription("Bootstrap servers of a Kafka that Strimzi does not manage (plain Kafka, MSK, Confluent...), as host:port[,host:port], e.g. pulse-kafka:9092. A bare host name such as pulse-kafka is a Service in this namespace (the operator dials pulse-kafka.<namespace>.svc). The ingester writes there, and the operator creates the topic itself through the Kafka Admin API (PLAINTEXT unless kafka.security says otherwise): creates it when missing, raises partitions when spec.kafka.partitions grows (never lowers them), and applies retention changes; what it cannot do is reported in the Topic condition. Deleting the SourceFeed keeps the topic and its posts (the operator never deletes topics it does not manage through Strimzi); delete it with Kafka's tools if it is no longer needed. May be changed to reach the same cluster by other addresses; set exactly one of clusterName and bootstrapServers.")
  private String bootstrapServers;

  @Size(min = 1, max = 249)
  @Pattern("^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$")
  @JsonPropertyDescription("Topic name. Defaults to pulse.feed.<namespace>.<feed name>. Lower case, digits, '-' and '.', as Strimzi requires of KafkaTopic names.")
  private String topic;

  @Default("3")
  @Min(1)
  @Max(1000)
  @JsonPropertyDescription("Partitions of the feed's topic (1-1000). Partitions can grow later, never shrink. Default 3.")
  private Integer partitions;

  @Default("3")
  @Min(1)
  @Max(10)
  @JsonPropertyDescription("Replication factor of the topic (1-10); must not exceed the brokers in the cluster. Default 3.")
  private Integer replicas;

  @Default("168h")
  @Size(min = 2, max = 32)
  @ValidationRule(value = Validation.DURATION_RULE, message = Validation.DURATION_MESSAGE)
  @JsonPropertyDescription("How long posts are kept in the topic, as a duration (e.g. 24h, 168h). Default 168h (7 days).")
  private String retention;

  @Size(max = 32)
  @ValidationRule(value = KafkaTopicConfig.KEYS_RULE, message = KafkaTopicConfig.KEYS_MESSAGE)
  @ValidationRule(value = KafkaTopicConfig.CLEANUP_RULE, message = KafkaTopicConfig.CLEANUP_MESSAGE)
  @ValidationRule(value = KafkaTopicConfig.COMPRESSION_RULE, message = KafkaTopicConfig.COMPRESSION_MESSAGE)
  @ValidationRule(value = KafkaTopicConfig.TIMESTAMP_RULE, message = KafkaTopicConfig.TIMESTAMP_MESSAGE)
  @ValidationRule(value = KafkaTopicConfig.UNCLEAN_RULE, message = KafkaTopicConfig.UNCLEAN_MESSAGE)
  @JsonPropertyDescription(KafkaTopicConfig.DESCRIPTION + " Applies to the feed's topic and its dead-letter topic.")
  private java.util.Map<String, @Size(max = 64) String> config;

  @JsonPropertyDescription("TLS and SASL for the ingester's producer and the operator's Admin API client (kafka.bootstrapServers only). Credentials come only from Secrets in this namespace.")
  private KafkaSecurity security;

  public java.util.Map<String, String> getConfig() { return config; }
  public void setConfig(java.util.Map<String, String> config) { this.config = config; }
  public KafkaSecurity getSecurity() { return security; }
  public void setSecurity(KafkaSecurity security) { this.security = security; }
  public String getClusterName() { return clusterName; }
  public void setClusterName(String clusterName) { this.clusterName = clusterName; }
  public String getBootstrapServers() { return bootstrapServers; }
  public void setBootstrapServers(String bootstrapServers) { this.bootstrapServers = bootstrapServers; }
  public String getTopic() { return topic; }
  public void setTopic(String topic) { this.topic = topic; }
  public Integer getPartitions() { return partitions; }
  public void setPartitions(Integer partitions) { this.partitions = partitions; }
  public Integer getReplicas() { return replicas; }
  public void setReplicas(Integer replicas) { this.replicas = replicas; }
  public String getRetention() { return retention; }
  public void setRetention(String retention) { this.retention = retention; }
}
