package dev.pulse.crd.v1alpha1;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.pulse.crd.common.PulseStatus;

/** Observed state of a SourceFeed. */
@JsonClassDescription("Observed state of a SourceFeed, written by the operator: its topic, the ingester's state and the conditions (Ready, Topic, Ingester).")
@JsonInclude(JsonInclude.Include.NON_NULL)
public class SourceFeedStatus extends PulseStatus {

  @JsonPropertyDescription("Name of the Kafka topic this feed's posts are written to.")
  private String topic;

  @JsonPropertyDescription("Ready replicas of the ingester Deployment (0 while suspended).")
  private Integer ingesterReadyReplicas;

  public String getTopic() { return topic; }
  public void setTopic(String topic) { this.topic = topic; }
  public Integer getIngesterReadyReplicas() { return ingesterReadyReplicas; }
  public void setIngesterReadyReplicas(Integer ingesterReadyReplicas) { this.ingesterReadyReplicas = ingesterReadyReplicas; }
}
