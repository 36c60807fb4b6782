package dev.pulse.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.pulse.crd.common.PulseCondition;
import dev.pulse.crd.v1alpha1.ModelAdapter;
import dev.pulse.crd.v1alpha1.SentimentPipeline;
import dev.pulse.crd.v1alpha1.SourceFeed;
import dev.pulse.testing.CrdInstaller;
import dev.pulse.testing.KubeApiServer;
import dev.pulse.testing.Samples;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;

/** The operator application, started as `./pulse operator` starts it, against a real kube-apiserver. */
class OperatorReconcilesOnRealApiServerTest {

  private static final String CONFIGURED_DASHBOARD = "registry.example/pulse/dashboard:configured";
  private static KubeApiServer server;
  private static KubernetesClient client;
  private static ConfigurableApplicationContext operator;

  @BeforeAll
  static void startOperator() {
    server = KubeApiServer.shared();
    client = server.client();
    CrdInstaller.installAll(client);
    // Exactly how a user runs it: the operator reads "the current kubeconfig".
    System.setProperty("kubeconfig", server.kubeconfig().toString());
    // Images as the Helm chart's runtimeImages set them: they must reach every owned object, pipelines' too.
    operator = SpringApplication.run(OperatorApplication.class, "--server.port=0",
        "--pulse.operator.images.dashboard=" + CONFIGURED_DASHBOARD);
  }

  @AfterAll
  static void stopOperator() {
    if (operator != null) {
      operator.close();
    }
    System.clearProperty("kubeconfig");
  }

  @Test
  void livenessIncludesTheInformersHealth() throws Exception {
    String port = operator.getEnvironment().getProperty("local.server.port");
    java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
    String body = await().atMost(Duration.ofSeconds(60)).until(() -> http.send(java.net.http.HttpRequest.newBuilder(
            java.net.URI.create("http://localhost:" + port + "/actuator/health/liveness?showDetails=always")).build(),
        java.net.http.HttpResponse.BodyHandlers.ofString()).body(), b -> b.contains("\"status\":\"UP\""));
    var health = operator.getBean(dev.pulse.operator.health.InformerHealth.class).health();
    assertThat(health.getStatus().getCode()).as(body).isEqualTo("UP");
    assertThat(health.getDetails()).as("every informer of the running operator synced and watching").isEmpty();
  }

  @Test
  void reconcilesASampleFeedAndRecordsTheGenerationItActedOn() {
    String namespace = server.createNamespace("operator");
    GenericKubernetesResource sample = Samples.first("sourcefeed-rss-news.yaml", "SourceFeed");
    client.genericKubernetesResources("pulse.dev/v1alpha1", "SourceFeed").inNamespace(namespace).resource(sample).create();

    SourceFeed reconciled = awaitObservedGeneration(namespace, "northwind-news", 1);
    assertThat(reconciled.getStatus().getTopic()).isEqualTo("pulse.feed." + namespace + ".northwind-news");
    PulseCondition ready = reconciled.getStatus().condition("Ready").orElseThrow();
    assertThat(ready.getStatus()).isEqualTo("False");
    assertThat(ready.getReason()).as("no Strimzi here: the KafkaTopic never gets Ready").isEqualTo("TopicPending");
    assertThat(ready.getObservedGeneration()).isEqualTo(1L);
    assertThat(ready.getLastTransitionTime()).isNotBlank();

    // A spec change is a new generation, and the status follows it.
    // The operator writes this object's status concurrently: retry on 409 as a real client does.
    dev.pulse.operator.support.RunningOperator.retryOnConflict(() ->
        client.resources(SourceFeed.class).inNamespace(namespace).withName("northwind-news")
            .edit(feed -> {
              feed.getSpec().setPollInterval("5m");
              return feed;
            }));
    SourceFeed second = awaitObservedGeneration(namespace, "northwind-news", 2);
    assertThat(second.getStatus().condition("Ready").orElseThrow().getLastTransitionTime())
        .as("Ready did not flip, so its transition time stays")
        .isEqualTo(ready.getLastTransitionTime());
  }

  @Test
  void theOperatorsOwnStatusWritesDoNotTriggerAReconcileLoop() throws InterruptedException {
    String namespace = server.createNamespace("noop");
    client.genericKubernetesResources("pulse.dev/v1alpha1", "SourceFeed").inNamespace(namespace)
        .resource(Samples.first("sourcefeed-replay.yaml", "SourceFeed")).create();
    SourceFeed settled = awaitObservedGeneration(namespace, "northwind-replay", 1);
    // The status write above is an event the operator also receives; a loop would show up as more writes.
    // (A periodic resync that writes nothing is tested with a short resync in SourceFeedOnRealApiServerTest.)
    Thread.sleep(1000);
    String before = client.resources(SourceFeed.class).inNamespace(namespace).withName("northwind-replay")
        .get().getMetadata().getResourceVersion();
    Thread.sleep(3000);
    SourceFeed later = client.resources(SourceFeed.class).inNamespace(namespace).withName("northwind-replay").get();
    assertThat(later.getMetadata().getResourceVersion()).as("no further writes once the status settled")
        .isEqualTo(before);
    assertThat(later.getStatus().getObservedGeneration()).isEqualTo(settled.getStatus().getObservedGeneration());
  }

  @Test
  void reconcilesTheOtherTwoKinds() {
    String namespace = server.createNamespace("kinds");
    client.genericKubernetesResources("pulse.dev/v1alpha1", "ModelAdapter").inNamespace(namespace)
        .resource(Samples.first("modeladapter-gemma.yaml", "ModelAdapter")).create();
    client.genericKubernetesResources("pulse.dev/v1alpha1", "SentimentPipeline").inNamespace(namespace)
        .resource(Samples.first("sentimentpipeline-northwind.yaml", "SentimentPipeline")).create();

    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
      ModelAdapter adapter = client.resources(ModelAdapter.class).inNamespace(namespace)
          .withName("northwind-gemma-sentiment").get();
      assertThat(adapter.getStatus()).isNotNull();
      assertThat(adapter.getStatus().getObservedGeneration()).isEqualTo(1L);
      assertThat(adapter.getStatus().getPhase()).hasToString("Pending");
      SentimentPipeline pipeline = client.resources(SentimentPipeline.class).inNamespace(namespace)
          .withName("northwind").get();
      assertThat(pipeline.getStatus()).isNotNull();
      assertThat(pipeline.getStatus().getObservedGeneration()).isEqualTo(1L);
      assertThat(pipeline.getStatus().condition("Ready")).isPresent();
      // The sample's Qdrant API-key Secret was not created here: the pipeline says which one instead of failing.
      PulseCondition vectorStore = pipeline.getStatus().condition("VectorStore").orElseThrow();
      assertThat(vectorStore.getReason()).isEqualTo("SecretMissing");
      assertThat(vectorStore.getMessage()).contains("qdrant-api");
      assertThat(client.genericKubernetesResources("sparkoperator.k8s.io/v1beta2", "SparkApplication")
          .inNamespace(namespace).withName("northwind-stream").get()).isNotNull();
    });
    // The sample names no dashboard image: the operator's configured one is used, not the built-in default.
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(client.apps().deployments()
        .inNamespace(namespace).withName("northwind-dashboard").get().getSpec().getTemplate().getSpec()
        .getContainers().get(0).getImage()).isEqualTo(CONFIGURED_DASHBOARD));
  }

  private static SourceFeed awaitObservedGeneration(String namespace, String name, long generation) {
    return await().atMost(Duration.ofSeconds(30)).until(
        () -> client.resources(SourceFeed.class).inNamespace(namespace).withName(name).get(),
        feed -> feed.getStatus() != null && Long.valueOf(generation).equals(feed.getStatus().getObservedGeneration()));
  }
}
