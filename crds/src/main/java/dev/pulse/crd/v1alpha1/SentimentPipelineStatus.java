package dev.pulse.crd.v1alpha1;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.pulse.crd.common.PulseStatus;
import java.util.List;

/** Observed state of a SentimentPipeline, read from the objects it owns. */
@JsonClassDescription("Observed state of a SentimentPipeline, read from the objects it owns: phase, topics, Spark, LLM, dashboard URL and conditions.")
@JsonInclude(JsonInclude.Include.NON_NULL)
public class SentimentPipelineStatus extends PulseStatus {

  /** Coarse lifecycle, for the printer column; the conditions carry the detail. */
  public enum Phase { Pending, Provisioning, Running, Degraded, Suspended, Failed }

  @JsonPropertyDescription("Pending, Provisioning, Running, Degraded (running with a part unavailable), Suspended or Failed. The conditions say which part and why.")
  private Phase phase;

  @JsonPropertyDescription("Number of SourceFeeds this pipeline currently reads.")
  private Integer feedCount;

  @JsonPropertyDescription("Names of the SourceFeeds this pipeline currently reads.")
  private List<String> feeds;

  @JsonPropertyDescription("Kafka topics the pipeline writes: scored posts, aggregates, alerts, dead letters, and labelled posts (the LLM's confident disagreements with the light scorer and analysts' corrections, for training).")
  private List<String> outputTopics;

  @JsonPropertyDescription("State of the SparkApplication as the Spark operator reports it (e.g. SUBMITTED, RUNNING, FAILED).")
  private String sparkApplicationState;

  @JsonPropertyDescription("Name of the LoRA adapter vLLM serves, when the LLM part is ready.")
  private String servedAdapter;

  @JsonPropertyDescription("Points in the Qdrant collection at the last check.")
  private Long vectorCount;

  @JsonPropertyDescription("URL of the dashboard (the Ingress host when set, else the in-cluster Service).")
  private String dashboardUrl;

  @JsonPropertyDescription("The Qdrant collection the operator created for this pipeline, and so deletes with it unless spec.vectorStore.retainOnDelete is true. Empty when the collection already existed: a collection the pipeline adopted is never deleted.")
  private String createdCollection;

  public Phase getPhase() { return phase; }
  public void setPhase(Phase phase) { this.phase = phase; }
  public Integer getFeedCount() { return feedCount; }
  public void setFeedCount(Integer feedCount) { this.feedCount = feedCount; }
  public List<String> getFeeds() { return feeds; }
  public void setFeeds(List<String> feeds) { this.feeds = feeds; }
  public List<String> getOutputTopics() { return outputTopics; }
  public void setOutputTopics(List<String> outputTopics) { this.outputTopics = outputTopics; }
  public String getSparkApplicationState() { return sparkApplicationState; }
  public void setSparkApplicationState(String sparkApplicationState) { this.sparkApplicationState = sparkApplicationState; }
  public String getServedAdapter() { return servedAdapter; }
  public void setServedAdapter(String servedAdapter) { this.servedAdapter = servedAdapter; }
  public Long getVectorCount() { return vectorCount; }
  public void setVectorCount(Long vectorCount) { this.vectorCount = vectorCount; }
  public String getDashboardUrl() { return dashboardUrl; }
  public void setDashboardUrl(String dashboardUrl) { this.dashboardUrl = dashboardUrl; }
  public String getCreatedCollection() { return createdCollection; }
  public void setCreatedCollection(String createdCollection) { this.createdCollection = createdCollection; }
}
