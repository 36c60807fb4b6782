package dev.pulse.crd.v1alpha1.feed;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.pulse.crd.common.Validation;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/** The Strimzi Kafka cluster a feed writes to, and its topic's settings. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class FeedKafka {

  @Required
  @Size(min = 1, max = 63)
  @Pattern(Validation.DNS1123_LABEL_PATTERN)
  @ValidationRule(value = "self == oldSelf", message = "kafka.clusterName cannot be changed: the topic and its data live in the old cluster; create a new SourceFeed instead")
  @JsonPropertyDescription("Name of the Strimzi Kafka cluster (the strimzi.io/cluster label of the KafkaTopic), in this namespace.")
  private String clusterName;

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

  public String getClusterName() { return clusterName; }
  public void setClusterName(String clusterName) { this.clusterName = clusterName; }
  public String getTopic() { return topic; }
  public void setTopic(String topic) { this.topic = topic; }
  public Integer getPartitions() { return partitions; }
  public void setPartitions(Integer partitions) { this.partitions = partitions; }
  public Integer getReplicas() { return replicas; }
  public void setReplicas(Integer replicas) { this.replicas = replicas; }
  public String getRetention() { return retention; }
  public void setRetention(String retention) { this.retention = retention; }
}
