package dev.pulse.operator.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.pulse.crd.v1alpha1.SentimentPipeline;
import dev.pulse.crd.v1alpha1.SourceFeed;
import dev.pulse.operator.reconcile.SentimentPipelineReconciler;
import dev.pulse.operator.support.CountingClient;
import dev.pulse.operator.support.RunningOperator;
import dev.pulse.testing.KubeApiServer;
import dev.pulse.testing.Samples;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A SourceFeed event reconciles only the pipelines that use the feed (by name, by label selector, or read so far),
 * not every pipeline of its namespace. Seen at the operator's HTTP client: a pipeline reconcile reads its feeds, so
 * a read of the other pipeline's feed means the other pipeline was reconciled. The resync is long here (10 minutes),
 * so no periodic reconcile hides what the event caused.
 */
class FeedEventsOnRealApiServerTest {

  private static CountingClient counting;
  private static RunningOperator operator;
  private static KubernetesClient client;

  @BeforeAll
  static void start() {
    counting = new CountingClient(KubeApiServer.shared());
    operator = RunningOperator.startAs(counting.client(), Duration.ofMinutes(10), new SentimentPipelineReconciler());
    client = operator.testClient();
  }

  @AfterAll
  static void stop() {
    if (operator != null) {
      operator.close();
    }
  }

  private static void feed(String ns, String name) {
    GenericKubernetesResource f = Samples.first("sourcefeed-rss-news.yaml", "SourceFeed");
    f.getMetadata().setName(name);
    f.getMetadata().setLabels(Map.of("pulse.dev/brand", name));
    Samples.with(f, "spec.kafka.topic", "posts." + name);
    client.genericKubernetesResources(f.getApiVersion(), f.getKind()).inNamespace(ns).resource(f).create();
  }

  private static void pipeline(String ns, String name, Map<String, Object> feeds) {
    GenericKubernetesResource p = Samples.first("sentimentpipeline-northwind.yaml", "SentimentPipeline");
    p.getMetadata().setName(name);
    Samples.with(p, "spec.llm", Map.of("enabled", false));
    Samples.with(p, "spec.vectorStore", null);
    Samples.with(p, "spec.dashboard", Map.of("enabled", false));
    Samples.with(p, "spec.feeds", feeds);
    client.genericKubernetesResources(p.getApiVersion(), p.getKind()).inNamespace(ns).resource(p).create();
  }

  @Test
  void aFeedChangeReconcilesOnlyThePipelinesThatUseIt() {
    String ns = operator.server().createNamespace("feed-events");
    feed(ns, "alpha");
    feed(ns, "beta");
    pipeline(ns, "by-name", Map.of("names", List.of("alpha")));
    pipeline(ns, "by-label", Map.of("matchLabels", Map.of("pulse.dev/brand", "beta")));
    await().atMost(Duration.ofSeconds(45)).until(() -> List.of("by-name", "by-label").stream().allMatch(n -> {
      SentimentPipeline p = client.resources(SentimentPipeline.class).inNamespace(ns).withName(n).get();
      return p.getStatus() != null && p.getStatus().getFeedCount() != null && p.getStatus().getFeedCount() == 1;
    }));
    String betaPath = "/apis/pulse.dev/v1alpha1/namespaces/" + ns + "/sourcefeeds";
    await().atMost(Duration.ofSeconds(30)).until(() -> {
      counting.reset();
      Thread.sleep(3000);
      return counting.all().stream().noneMatch(r -> r.contains(betaPath));
    });

    // A change to alpha: the pipeline naming it is reconciled (it reads alpha), the one selecting beta is not (it
    // would list the feeds with its selector).
    counting.reset();
    RunningOperator.retryOnConflict(() -> client.resources(SourceFeed.class).inNamespace(ns).withName("alpha")
        .edit(f -> {
          f.getSpec().setPollInterval("9m");
          return f;
        }));
    await().atMost(Duration.ofSeconds(30)).until(() -> counting.all().stream()
        .anyMatch(r -> r.equals("GET " + betaPath + "/alpha")));
    sleep(3000);
    assertThat(counting.all()).as("requests after a change to feed alpha")
        .noneMatch(r -> r.startsWith("GET " + betaPath) && !r.endsWith("/alpha"));

    // Relabelled out of by-label's selection, beta concerns by-label still (it read beta): it is reconciled and
    // drops the feed.
    RunningOperator.retryOnConflict(() -> client.resources(SourceFeed.class).inNamespace(ns).withName("beta")
        .edit(f -> {
          f.getMetadata().setLabels(Map.of("pulse.dev/brand", "gamma"));
          return f;
        }));
    await().atMost(Duration.ofSeconds(30)).until(() -> client.resources(SentimentPipeline.class).inNamespace(ns)
        .withName("by-label").get().getStatus().getFeedCount() == 0);
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
