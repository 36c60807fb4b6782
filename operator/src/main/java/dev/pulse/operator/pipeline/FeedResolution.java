package dev.pulse.operator.pipeline;

import dev.pulse.crd.v1alpha1.SentimentPipeline;
import dev.pulse.crd.v1alpha1.SourceFeed;
import dev.pulse.crd.v1alpha1.pipeline.FeedSelection;
import dev.pulse.operator.support.FeedTopics;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The SourceFeeds a pipeline reads: the union of those it names and those its labels select, in its own
 * namespace, sorted by name so the Spark job's input list (and so the SparkApplication) is stable.
 *
 * @param feeds the feeds found
 * @param missing names in spec.feeds.names that do not exist
 * @param otherCluster feeds found whose Kafka is not the pipeline's (the job cannot read them): compared by the
 *     address both connect to ({@code <cluster>-kafka-bootstrap:9092} for a Strimzi cluster, else bootstrapServers)
 */
public record FeedResolution(List<SourceFeed> feeds, List<String> missing, List<String> otherCluster) {

  public List<String> names() {
    return feeds.stream().map(f -> f.getMetadata().getName()).toList();
  }

  /** Topics of the feeds the job can read. */
  public List<String> topics() {
    return readable().map(FeedTopics::topicFor).toList();
  }

  /** Partitions of those topics together. */
  public int partitions() {
    return readable().mapToInt(FeedTopics::partitionsFor).sum();
  }

  private java.util.stream.Stream<SourceFeed> readable() {
    return feeds.stream().filter(f -> !otherCluster.contains(f.getMetadata().getName()));
  }

  /**
   * Whether a change to {@code feed} concerns {@code pipeline}: the pipeline names it or its labels match the
   * pipeline's selector now, or the pipeline read it at its last reconcile (status.feeds: a feed relabelled out of
   * the selection, or deleted, must be dropped). A feed event reconciles only such pipelines, not every pipeline of
   * the namespace.
   */
  public static boolean concerns(SentimentPipeline pipeline, SourceFeed feed) {
    String name = feed.getMetadata().getName();
    FeedSelection selection = pipeline.getSpec() == null ? null : pipeline.getSpec().getFeeds();
    if (selection != null && selection.getNames() != null && selection.getNames().contains(name)) {
      return true;
    }
    if (selection != null && selection.getMatchLabels() != null && !selection.getMatchLabels().isEmpty()) {
      Map<String, String> labels = feed.getMetadata().getLabels() == null ? Map.of() : feed.getMetadata().getLabels();
      if (labels.entrySet().containsAll(selection.getMatchLabels().entrySet())) {
        return true;
      }
    }
    return pipeline.getStatus() != null && pipeline.getStatus().getFeeds() != null
        && pipeline.getStatus().getFeeds().contains(name);
  }

  public static FeedResolution resolve(KubernetesClient client, SentimentPipeline pipeline) {
    String namespace = pipeline.getMetadata().getNamespace();
    FeedSelection selection = pipeline.getSpec().getFeeds();
    Map<String, SourceFeed> found = new TreeMap<>();
    List<String> missing = new ArrayList<>();
    if (selection.getNames() != null) {
      for (String name : selection.getNames()) {
        SourceFeed feed = client.resources(SourceFeed.class).inNamespace(namespace).withName(name).get();
        if (feed == null) {
          missing.add(name);
        } else {
          found.put(name, feed);
        }
      }
    }
    if (selection.getMatchLabels() != null && !selection.getMatchLabels().isEmpty()) {
      client.resources(SourceFeed.class).inNamespace(namespace).withLabels(selection.getMatchLabels()).list()
          .getItems().forEach(f -> found.put(f.getMetadata().getName(), f));
    }
    return of(pipeline, List.copyOf(found.values()), missing);
  }

  /** Pure part, for tests: which of the found feeds are on another Kafka cluster. */
  public static FeedResolution of(SentimentPipeline pipeline, List<SourceFeed> feeds, List<String> missing) {
    String kafka = PipelineDefaults.bootstrapServers(pipeline);
    List<String> other = feeds.stream()
        .filter(f -> f.getSpec().getKafka() != null
            && !Objects.equals(kafka, dev.pulse.operator.feed.IngesterConfig.bootstrapServers(f)))
        .map(f -> f.getMetadata().getName()).toList();
    return new FeedResolution(feeds, List.copyOf(missing), other);
  }
}
