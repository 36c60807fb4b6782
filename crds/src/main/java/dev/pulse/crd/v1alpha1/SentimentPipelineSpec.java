package dev.pulse.crd.v1alpha1;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.pulse.crd.v1alpha1.pipeline.DashboardSpec;
import dev.pulse.crd.v1alpha1.pipeline.FeedSelection;
import dev.pulse.crd.v1alpha1.pipeline.LlmSpec;
import dev.pulse.crd.v1alpha1.pipeline.PipelineKafka;
import dev.pulse.crd.v1alpha1.pipeline.ScoringSpec;
import dev.pulse.crd.v1alpha1.pipeline.SparkSpec;
import dev.pulse.crd.v1alpha1.pipeline.VectorStoreSpec;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;

/** Desired state of a SentimentPipeline. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "!has(self.scoring) || !has(self.scoring.crisis) || !has(self.scoring.crisis.window) || !has(self.spark) || !has(self.spark.triggerInterval) || duration(self.scoring.crisis.window) >= duration(self.spark.triggerInterval)",
    message = "spec.scoring.crisis.window must be at least spec.spark.triggerInterval: a window shorter than one micro-batch can never fill",
    fieldPath = ".scoring.crisis.window")
@ValidationRule(
    value = "has(self.vectorStore) || !has(self.llm) || (has(self.llm.enabled) && !self.llm.enabled)",
    message = "spec.vectorStore is required when spec.llm is enabled: the LLM gateway answers with retrieval over the pipeline's Qdrant collection",
    fieldPath = ".vectorStore")
@JsonClassDescription("Desired state of a SentimentPipeline: feeds, Kafka, Spark, scoring and alert rules, LLM, vector store and dashboard.")
public class SentimentPipelineSpec {

  @Required
  @JsonPropertyDescription("Which SourceFeeds (in this namespace) the pipeline reads: by name, by label, or both.")
  private FeedSelection feeds;

  @Required
  @JsonPropertyDescription("The Kafka of the feeds and of the pipeline's output topics: a Strimzi cluster (clusterName) or any Kafka (bootstrapServers).")
  private PipelineKafka kafka;

  @JsonPropertyDescription("Sizing and streaming settings of the Spark Structured Streaming application.")
  private SparkSpec spark;

  @JsonPropertyDescription("Light scoring, escalation to the LLM, brand glossary and crisis detection.")
  private ScoringSpec scoring;

  @JsonPropertyDescription("The vLLM server and adapter that low-confidence posts are escalated to. Omit to run without LLM escalation (the light score stands for every post).")
  private LlmSpec llm;

  @JsonPropertyDescription("The Qdrant vector store that holds post embeddings for RAG and 'posts like this'. Omit to run without a vector store: posts are scored and aggregated but not embedded or stored (the VectorStore condition says Disabled), the dashboard has no 'posts like this', and spec.llm cannot be enabled (the gateway's RAG reads this collection).")
  private VectorStoreSpec vectorStore;

  @JsonPropertyDescription("The live dashboard: replicas, ingress and authentication.")
  private DashboardSpec dashboard;

  @Default("false")
  @JsonPropertyDescription("When true the Spark application, LLM and dashboard are scaled to zero; topics, checkpoints and vectors are kept.")
  private Boolean suspend;

  public FeedSelection getFeeds() { return feeds; }
  public void setFeeds(FeedSelection feeds) { this.feeds = feeds; }
  public PipelineKafka getKafka() { return kafka; }
  public void setKafka(PipelineKafka kafka) { this.kafka = kafka; }
  public SparkSpec getSpark() { return spark; }
  public void setSpark(SparkSpec spark) { this.spark = spark; }
  public ScoringSpec getScoring() { return scoring; }
  public void setScoring(ScoringSpec scoring) { this.scoring = scoring; }
  public LlmSpec getLlm() { return llm; }
  public void setLlm(LlmSpec llm) { this.llm = llm; }
  public VectorStoreSpec getVectorStore() { return vectorStore; }
  public void setVectorStore(VectorStoreSpec vectorStore) { this.vectorStore = vectorStore; }
  public DashboardSpec getDashboard() { return dashboard; }
  public void setDashboard(DashboardSpec dashboard) { this.dashboard = dashboard; }
  public Boolean getSuspend() { return suspend; }
  public void setSuspend(Boolean suspend) { this.suspend = suspend; }

  public boolean suspendedOrFalse() { return Boolean.TRUE.equals(suspend); }
}
