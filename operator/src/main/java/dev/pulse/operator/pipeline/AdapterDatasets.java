package dev.pulse.operator.pipeline;

import dev.pulse.crd.v1alpha1.ModelAdapter;
import dev.pulse.crd.v1alpha1.SentimentPipeline;
import dev.pulse.crd.v1alpha1.adapter.LabelledTopicDataset;
import dev.pulse.operator.adapter.LabelledSource;

/**
 * A ModelAdapter's {@code spec.dataset.labelledTopic} resolved against the SentimentPipeline it names: the bootstrap
 * servers and labelled topic the training Job's export reads, or why there is no Job (the reason and message of its
 * Training condition).
 */
public final class AdapterDatasets {

  public static final String PIPELINE_MISSING = "PipelineMissing";
  public static final String DATASET_NOT_SUPPORTED = "DatasetNotSupported";

  /** Exactly one of {@code source} or {@code reason} (with its message) is set. */
  public record Resolution(LabelledSource source, String reason, String message) {
    static Resolution of(LabelledSource source) {
      return new Resolution(source, null, null);
    }

    static Resolution problem(String reason, String message) {
      return new Resolution(null, reason, message);
    }
  }

  private AdapterDatasets() {}

  /** The pipeline's name, when the adapter's dataset is a pipeline's labelled topic. */
  public static String pipelineName(ModelAdapter adapter) {
    LabelledTopicDataset labelled = adapter.getSpec().getDataset().getLabelledTopic();
    return labelled == null ? null : labelled.getPipeline();
  }

  /** @param pipeline the named SentimentPipeline in the adapter's namespace, null when there is none */
  public static Resolution resolve(ModelAdapter adapter, SentimentPipeline pipeline) {
    LabelledTopicDataset labelled = adapter.getSpec().getDataset().getLabelledTopic();
    String name = labelled.getPipeline();
    if (pipeline == null) {
      return Resolution.problem(PIPELINE_MISSING, "SentimentPipeline " + name + " (spec.dataset.labelledTopic.pipeline)"
          + " was not found in namespace " + adapter.getMetadata().getNamespace() + "; its labelled topic is the"
          + " training dataset. Create it, or name an existing one");
    }
    if (pipeline.getSpec().getKafka() != null && pipeline.getSpec().getKafka().getSecurity() != null) {
      return Resolution.problem(DATASET_NOT_SUPPORTED, "SentimentPipeline " + name + " reaches Kafka with TLS or"
          + " SASL (spec.kafka.security), which the labelled-topic export does not support yet. Export the topic "
          + PipelineNames.topic(pipeline, OutputTopics.Kind.LABELLED) + " with ./pulse train-scorer --labelled"
          + " kafka://HOST:PORT/TOPIC --export-labelled train.jsonl and set spec.dataset.configMap or"
          + " spec.dataset.pvc instead");
    }
    int minPosts = labelled.getMinPosts() == null ? 1 : labelled.getMinPosts();
    return Resolution.of(new LabelledSource(PipelineDefaults.bootstrapServers(pipeline),
        PipelineNames.topic(pipeline, OutputTopics.Kind.LABELLED), minPosts));
  }
}
