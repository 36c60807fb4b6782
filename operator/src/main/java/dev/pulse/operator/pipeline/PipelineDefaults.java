package dev.pulse.operator.pipeline;

import dev.pulse.crd.v1alpha1.SentimentPipeline;
import dev.pulse.crd.v1alpha1.SentimentPipelineSpec;
import dev.pulse.crd.v1alpha1.adapter.GpuResources;
import dev.pulse.crd.v1alpha1.pipeline.CrisisRule;
import dev.pulse.crd.v1alpha1.pipeline.DashboardSpec;
import dev.pulse.crd.v1alpha1.pipeline.ExecutorSize;
import dev.pulse.crd.v1alpha1.pipeline.LlmSpec;
import dev.pulse.crd.v1alpha1.pipeline.PipelineKafka;
import dev.pulse.crd.v1alpha1.pipeline.PodSize;
import dev.pulse.crd.v1alpha1.pipeline.ScoringSpec;
import dev.pulse.crd.v1alpha1.pipeline.SparkSpec;
import dev.pulse.crd.v1alpha1.pipeline.VectorStoreSpec;
import java.util.function.Supplier;

/**
 * The CRD's defaults, applied again in Java: the API server fills them in on create, but {@code ./pulse
 * render} reads files that never went through it. Values here must match the {@code @Default}s of the CRD.
 */
public final class PipelineDefaults {

  private PipelineDefaults() {}

  public static <T> T or(T value, T fallback) { return value == null ? fallback : value; }

  public static <T> T or(T value, Supplier<T> fallback) { return value == null ? fallback.get() : value; }

  public static SentimentPipelineSpec spec(SentimentPipeline p) { return p.getSpec(); }

  public static boolean suspended(SentimentPipeline p) { return spec(p).suspendedOrFalse(); }

  public static PipelineKafka kafka(SentimentPipeline p) { return or(spec(p).getKafka(), PipelineKafka::new); }

  public static String bootstrapServers(SentimentPipeline p) {
    PipelineKafka k = kafka(p);
    return k.getBootstrapServers() != null ? k.getBootstrapServers() : k.getClusterName() + "-kafka-bootstrap:9092";
  }

  public static SparkSpec spark(SentimentPipeline p) { return or(spec(p).getSpark(), SparkSpec::new); }

  public static PodSize driver(SentimentPipeline p) { return or(spark(p).getDriver(), PodSize::new); }

  public static ExecutorSize executor(SentimentPipeline p) { return or(spark(p).getExecutor(), ExecutorSize::new); }

  public static ScoringSpec scoring(SentimentPipeline p) { return or(spec(p).getScoring(), ScoringSpec::new); }

  public static CrisisRule crisis(SentimentPipeline p) { return or(scoring(p).getCrisis(), CrisisRule::new); }

  /** Null when the pipeline runs without LLM escalation. */
  public static LlmSpec llm(SentimentPipeline p) {
    LlmSpec llm = spec(p).getLlm();
    return llm == null || !llm.enabledOrTrue() ? null : llm;
  }

  public static GpuResources gpu(LlmSpec llm) { return or(llm.getResources(), GpuResources::new); }

  /** Null when the pipeline runs without a vector store (no embeddings stored, no RAG). */
  public static VectorStoreSpec vectorStore(SentimentPipeline p) { return spec(p).getVectorStore(); }

  public static int grpcPort(VectorStoreSpec v) { return or(v.getGrpcPort(), 6334); }

  public static int vectorSize(VectorStoreSpec v) { return or(v.getVectorSize(), 384); }

  public static VectorStoreSpec.Distance distance(VectorStoreSpec v) { return or(v.getDistance(), VectorStoreSpec.Distance.Cosine); }

  /** Null when the dashboard is disabled. */
  public static DashboardSpec dashboard(SentimentPipeline p) {
    DashboardSpec d = or(spec(p).getDashboard(), DashboardSpec::new);
    return d.enabledOrTrue() ? d : null;
  }
}
