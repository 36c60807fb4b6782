package dev.pulse.operator.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.pulse.crd.v1alpha1.SentimentPipeline;
import dev.pulse.crd.v1alpha1.SourceFeed;
import dev.pulse.operator.pipeline.PipelineNames;
import dev.pulse.operator.reconcile.SentimentPipelineReconciler;
import dev.pulse.operator.reconcile.SourceFeedReconciler;
import dev.pulse.testing.KubeApiServer;
import dev.pulse.testing.Samples;
import dev.pulse.testsupport.QdrantStandIn;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A resync of resources whose objects are already as desired sends no write request at all: not the ~25 server-side
 * applies (which stored nothing, but each cost the API server a decode, admission and merge), no status write, no
 * Event. Counted at the operator's HTTP client ({@link CountingClient}), on the real API server with every upstream
 * CRD served (so KafkaTopics, the SparkApplication, ServiceMonitors and PrometheusRules are all in play). Drift made by
 * someone else on a field the operator owns is still repaired, and a deleted object is recreated.
 */
class NoOpResyncOnRealApiServerTest {

  private static final String QDRANT_KEY = "noop-key";
  private static QdrantStandIn qdrant;
  private static CountingClient counting;
  private static RunningOperator operator;
  private static KubernetesClient client;
  private static SourceFeedReconciler feeds;
  private static SentimentPipelineReconciler pipelines;

  @BeforeAll
  static void start() throws Exception {
    qdrant = new QdrantStandIn(QDRANT_KEY);
    counting = new CountingClient(KubeApiServer.shared());
    feeds = new SourceFeedReconciler();
    pipelines = new SentimentPipelineReconciler();
    operator = RunningOperator.startAs(counting.client(), feeds, pipelines);
    client = operator.testClient();
  }

  @AfterAll
  static void stop() {
    if (operator != null) {
      operator.close();
    }
    if (qdrant != null) {
      qdrant.close();
    }
  }

  @Test
  void resyncOfUnchangedResourcesSendsNoWrite() {
    String ns = operator.server().createNamespace("noop");
    secret(ns, "qdrant-api", "api-key", QDRANT_KEY);
    secret(ns, "pulse-dashboard-token", "token", "dash");
    GenericKubernetesResource feed = Samples.first("sourcefeed-rss-news.yaml", "SourceFeed");
    client.genericKubernetesResources(feed.getApiVersion(), feed.getKind()).inNamespace(ns).resource(feed).create();
    GenericKubernetesResource p = Samples.first("sentimentpipeline-northwind.yaml", "SentimentPipeline");
    Samples.with(p, "spec.feeds", Map.of("names", List.of(feed.getMetadata().getName())));
    Samples.with(p, "spec.llm.modelAdapterRef", null); // the base model: every part is deployed at once
    Samples.with(p, "spec.llm.hubTokenSecret", null);
    Samples.with(p, "spec.vectorStore.host", "127.0.0.1");
    Samples.with(p, "spec.vectorStore.grpcPort", qdrant.port());
    Samples.with(p, "spec.vectorStore.collection", "noop_" + ns.replace('-', '_'));
    client.genericKubernetesResources(p.getApiVersion(), p.getKind()).inNamespace(ns).resource(p).create();
    String name = p.getMetadata().getName();

    await().atMost(Duration.ofSeconds(90)).until(() -> {
      SentimentPipeline stored = client.resources(SentimentPipeline.class).inNamespace(ns).withName(name).get();
      SourceFeed f = client.resources(SourceFeed.class).inNamespace(ns).withName(feed.getMetadata().getName()).get();
      return stored.getStatus() != null && Long.valueOf(1).equals(stored.getStatus().getObservedGeneration())
          && f.getStatus() != null && client.apps().deployments().inNamespace(ns)
              .withName(name + "-dashboard").get() != null;
    });

    // Once the first reconciles' writes (objects, status, Events) are done, every resync window is silent. Before
    // the cache comparison each resync re-applied every object: ~25 PATCH requests per window.
    List<List<String>> windows = new java.util.concurrent.CopyOnWriteArrayList<>();
    try {
      await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(100)).until(() -> {
        long feedsBefore = feeds.reconcileCount();
        long pipelinesBefore = pipelines.reconcileCount();
        counting.reset();
        Thread.sleep(3 * RunningOperator.RESYNC.toMillis() + 500);
        List<String> writes = counting.writes();
        windows.add(writes);
        return feeds.reconcileCount() > feedsBefore && pipelines.reconcileCount() > pipelinesBefore
            && writes.isEmpty();
      });
    } catch (org.awaitility.core.ConditionTimeoutException e) {
      assertThat(windows.get(windows.size() - 1)).as("write requests during a no-op resync (last window)").isEmpty();
    }

    // Someone else changes a field the operator owns: repaired (the cache comparison sees it), and a deleted
    // Service is recreated (now watched).
    String dashboard = PipelineNames.dashboard(client.resources(SentimentPipeline.class).inNamespace(ns)
        .withName(name).get());
    String image = client.apps().deployments().inNamespace(ns).withName(dashboard).get()
        .getSpec().getTemplate().getSpec().getContainers().get(0).getImage();
    RunningOperator.retryOnConflict(() -> client.apps().deployments().inNamespace(ns).withName(dashboard)
        .edit(d -> {
          d.getSpec().getTemplate().getSpec().getContainers().get(0).setImage("example.com/not-pulse:1");
          return d;
        }));
    await().atMost(Duration.ofSeconds(30)).until(() -> image.equals(client.apps().deployments().inNamespace(ns)
        .withName(dashboard).get().getSpec().getTemplate().getSpec().getContainers().get(0).getImage()));
    client.services().inNamespace(ns).withName(dashboard).delete();
    await().atMost(Duration.ofSeconds(30)).until(() -> {
      var service = client.services().inNamespace(ns).withName(dashboard).get();
      return service != null && service.getMetadata().getDeletionTimestamp() == null;
    });
  }

  private static void secret(String ns, String name, String key, String value) {
    client.secrets().inNamespace(ns).resource(new SecretBuilder().withNewMetadata().withName(name).endMetadata()
        .withStringData(Map.of(key, value)).build()).create();
  }
}
