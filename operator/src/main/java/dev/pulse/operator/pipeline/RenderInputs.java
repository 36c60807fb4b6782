package dev.pulse.operator.pipeline;

import dev.pulse.crd.v1alpha1.ModelAdapter;
import dev.pulse.operator.support.FeedTopics;
import dev.pulse.operator.support.PulseImages;
import java.util.List;

/**
 * Everything besides the SentimentPipeline itself that its objects depend on, resolved beforehand, so that
 * {@link SentimentPipelineObjects#desired} is a pure function (the reconciler and {@code ./pulse render}
 * call it the same way).
 *
 * @param images default images of Pulse's runtimes and vLLM
 * @param feedTopics Kafka topics of the resolved SourceFeeds, the Spark job's input, in a stable order
 * @param adapter the ModelAdapter named by {@code spec.llm.modelAdapterRef} (its status says whether and where
 *     the trained adapter is), or null when none is referenced or it does not exist
 * @param monitoring which Prometheus-operator kinds the cluster serves
 * @param feedPartitions partitions of those topics together (real-time mode runs one long-lived task per partition)
 * @param sparkOperator whether the cluster serves the Spark operator's SparkApplication: it picks the Spark launcher
 *     when {@code spec.spark.launcher} is unset ({@link SparkLaunchers})
 */
public record RenderInputs(PulseImages images, List<String> feedTopics, ModelAdapter adapter,
    MonitoringSupport monitoring, int feedPartitions, boolean sparkOperator) {

  public RenderInputs {
    images = images == null ? PulseImages.defaults() : images;
    feedTopics = feedTopics == null ? List.of() : List.copyOf(feedTopics);
    monitoring = monitoring == null ? MonitoringSupport.ALL : monitoring;
  }

  /** As {@code ./pulse render} sees a cluster: the SparkApplication CRD served. */
  public RenderInputs(PulseImages images, List<String> feedTopics, ModelAdapter adapter,
      MonitoringSupport monitoring, int feedPartitions) {
    this(images, feedTopics, adapter, monitoring, feedPartitions, true);
  }

  /** Feeds of the default partition count. */
  public RenderInputs(PulseImages images, List<String> feedTopics, ModelAdapter adapter,
      MonitoringSupport monitoring) {
    this(images, feedTopics, adapter, monitoring,
        (feedTopics == null ? 0 : feedTopics.size()) * FeedTopics.DEFAULT_PARTITIONS);
  }

  /** For {@code ./pulse render}: no cluster to ask, so every monitoring object is shown. */
  public static RenderInputs of(PulseImages images, List<String> feedTopics, ModelAdapter adapter) {
    return new RenderInputs(images, feedTopics, adapter, MonitoringSupport.ALL);
  }

  /** For {@code ./pulse render} with the feeds' own partition counts. */
  public static RenderInputs of(PulseImages images, FeedResolution feeds, ModelAdapter adapter) {
    return new RenderInputs(images, feeds.topics(), adapter, MonitoringSupport.ALL, feeds.partitions());
  }

  /** Which monitoring.coreos.com kinds exist in the cluster. */
  public record MonitoringSupport(boolean serviceMonitor, boolean prometheusRule, boolean podMonitor) {
    public static final MonitoringSupport ALL = new MonitoringSupport(true, true, true);
    public static final MonitoringSupport NONE = new MonitoringSupport(false, false, false);

    /** Without PodMonitor (the Spark pods, which no Service fronts, are then not scraped). */
    public MonitoringSupport(boolean serviceMonitor, boolean prometheusRule) {
      this(serviceMonitor, prometheusRule, false);
    }
  }
}
