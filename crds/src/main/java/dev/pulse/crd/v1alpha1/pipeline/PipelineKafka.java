package dev.pulse.crd.v1alpha1.pipeline;

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

/** The Kafka cluster and the settings of the pipeline's output topics. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class PipelineKafka {

  @Required
  @Size(min = 1, max = 63)
  @Pattern(Validation.DNS1123_LABEL_PATTERN)
  @JsonPropertyDescription("Name of the Strimzi Kafka cluster in this namespace. Feeds on another cluster are reported in the Topics condition.")
  private String clusterName;

  @Size(min = 1, max = 512)
  @ValidationRule(value = "self.matches('^[A-Za-z0-9.-]+:[0-9]{1,5}(,[A-Za-z0-9.-]+:[0-9]{1,5})*$')", message = "must be a comma-separated list of host:port, e.g. acme-kafka-bootstrap:9092")
  @JsonPropertyDescription("Bootstrap servers for the Spark job and dashboard. Default <clusterName>-kafka-bootstrap:9092 (Strimzi's plain listener).")
  private String bootstrapServers;

  @Default("6")
  @Min(1)
  @Max(1000)
  @JsonPropertyDescription("Partitions of each output topic (scored posts, aggregates, alerts, dead letters). Default 6.")
  private Integer partitions;

  @Default("3")
  @Min(1)
  @Max(10)
  @JsonPropertyDescription("Replication factor of the output topics. Default 3.")
  private Integer replicas;

  @Default("168h")
  @Size(min = 2, max = 32)
  @ValidationRule(value = Validation.DURATION_RULE, message = Validation.DURATION_MESSAGE)
  @JsonPropertyDescription("Retention of the output topics, as a duration. Dead letters are kept 4x longer so they can be inspected. Default 168h.")
  private String retention;

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
