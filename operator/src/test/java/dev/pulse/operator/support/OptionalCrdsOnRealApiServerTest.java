package dev.pulse.operator.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.pulse.crd.common.PulseCondition;
import dev.pulse.crd.common.PulseStatus;
import dev.pulse.crd.v1alpha1.SentimentPipeline;
import dev.pulse.crd.v1alpha1.SourceFeed;
import dev.pulse.operator.kafka.KafkaTopicAdmin;
import dev.pulse.operator.reconcile.ModelAdapterReconciler;
import dev.pulse.operator.reconcile.SentimentPipelineReconciler;
import dev.pulse.operator.reconcile.SourceFeedReconciler;
import dev.pulse.testing.CrdInstaller;
import dev.pulse.testing.KubeApiServer;
import dev.pulse.testing.Samples;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A cluster with Pulse's CRDs only: no Strimzi, no Spark operator, no Prometheus operator (an API server of this
 * test's own). The operator starts as the application configures it (an informer that cannot start stops the
 * operator) and reconciles: what needs an absent API says so in a condition and an Event, everything else is
 * created. Strimzi's KafkaTopic CRD installed later, in the v1beta2-only form of Strimzi before 0.49, is picked up
 * without a restart: the KafkaTopic is written in that version and its status changes reach the feed through an
 * informer registered then (the default 10-minute resync would be far too slow to pass otherwise).
 */
class OptionalCrdsOnRealApiServerTest {

  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final Duration API_RECHECK = Duration.ofSeconds(2);
  private static KubeApiServer server;
  private static KubernetesClient client;
  private static KubernetesClient operatorClient;
  private static Operator operator;
  private static KafkaTopicAdmin kafka;

  @BeforeAll
  static void start() {
    server = KubeApiServer.startPrivate();
    client = server.client();
    CrdInstaller.install(client, CrdInstaller.generatedPulseCrds());
    operatorClient = server.newClient();
    kafka = new KafkaTopicAdmin();
    // As OperatorConfiguration builds it: stop when an informer cannot start, default resync (10 minutes).
    operator = new Operator(o -> o.withKubernetesClient(operatorClient).withCloseClientOnStop(false)
        .withStopOnInformerErrorDuringStartup(true));
    operator.register(new SourceFeedReconciler(PulseImages.defaults(), API_RECHECK, kafka));
    operator.register(new ModelAdapterReconciler(PulseImages.defaults()));
    operator.register(new SentimentPipelineReconciler(PulseImages.defaults(), API_RECHECK, kafka));
    operator.start();
  }

  @AfterAll
  static void stop() {
    if (operator != null) {
      operator.stop();
    }
    if (operatorClient != null) {
      operatorClient.close();
    }
    if (kafka != null) {
      kafka.close();
    }
    if (server != null) {
      server.close();
    }
  }

  @Test
  void reportsWhatNeedsAnAbsentApiDeploysEverythingElseAndPicksUpACrdInstalledLater() {
    String ns = "optional";
    client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build()).create();
    // A feed on a Strimzi cluster, and the minimal pipeline on the same Strimzi cluster.
    create(ns, Samples.first("sourcefeed-rss-news.yaml", "SourceFeed"));
    GenericKubernetesResource pipeline = Samples.first("minimal/sentimentpipeline.yaml", "SentimentPipeline");
    Samples.with(pipeline, "spec.kafka.bootstrapServers", null);
    Samples.with(pipeline, "spec.kafka.clusterName", "pulse-kafka");
    Samples.with(pipeline, "spec.feeds.names", List.of("northwind-news"));
    // Asked for by name: the Spark operator, which is absent. (Unset, the launcher falls back to Native: below.)
    Samples.with(pipeline, "spec.spark.launcher", "SparkOperator");
    create(ns, pipeline);
    GenericKubernetesResource unset = Samples.first("minimal/sentimentpipeline.yaml", "SentimentPipeline");
    unset.getMetadata().setName("native");
    Samples.with(unset, "spec.kafka.bootstrapServers", null);
    Samples.with(unset, "spec.kafka.clusterName", "pulse-kafka");
    Samples.with(unset, "spec.feeds.names", List.of("northwind-news"));
    Samples.with(unset, "spec.spark.launcher", null);
    create(ns, unset);

    SourceFeed feed = awaitCondition(SourceFeed.class, ns, "northwind-news", "Topic", "False", "StrimziNotInstalled");
    assertThat(feed.getStatus().condition("Topic").orElseThrow().getMessage())
        .contains("kafka.clusterName names a Strimzi cluster").contains("no KafkaTopic CRD")
        .contains("install Strimzi >= 0.49 or set kafka.bootstrapServers");
    assertThat(feed.getStatus().condition("Ready").orElseThrow().getReason()).isEqualTo("StrimziNotInstalled");
    assertThat(client.apps().deployments().inNamespace(ns).withName("northwind-news-ingester").get())
        .as("the ingester is deployed without Strimzi").isNotNull();
    assertThat(client.configMaps().inNamespace(ns).withName("northwind-news-ingester").get()).isNotNull();

    SentimentPipeline p = awaitCondition(SentimentPipeline.class, ns, "minimal", "Spark", "False",
        "SparkOperatorNotInstalled");
    assertThat(p.getStatus().condition("Spark").orElseThrow().getMessage())
        .contains("sparkoperator.k8s.io/v1beta2").contains("spark.jobNamespaces");
    assertThat(p.getStatus().condition("Topics").orElseThrow().getReason()).isEqualTo("StrimziNotInstalled");
    assertThat(p.getStatus().condition("Monitoring").orElseThrow().getReason()).isEqualTo("PrometheusOperatorAbsent");
    assertThat(client.apps().deployments().inNamespace(ns).withName("minimal-dashboard").get())
        .as("the dashboard is deployed without Strimzi and Spark").isNotNull();
    assertThat(client.services().inNamespace(ns).withName("minimal-dashboard").get()).isNotNull();
    await().atMost(WAIT).untilAsserted(() -> {
      assertThat(events(ns, "SourceFeed", "northwind-news")).filteredOn(e -> "StrimziNotInstalled".equals(e.getReason())
              && e.getMessage().startsWith("Topic:")).isNotEmpty().allSatisfy(e -> assertThat(e.getType()).isEqualTo("Warning"));
      assertThat(events(ns, "SentimentPipeline", "minimal")).extracting(Event::getReason)
          .contains("StrimziNotInstalled", "SparkOperatorNotInstalled");
    });

    // No launcher named and no SparkApplication CRD: the operator runs the driver itself (no kubelet here: no pod).
    SentimentPipeline nativePipeline = awaitCondition(SentimentPipeline.class, ns, "native", "Spark", "False",
        "DriverPending");
    assertThat(nativePipeline.getStatus().getSparkApplicationState()).isEqualTo("PENDING");
    assertThat(client.apps().deployments().inNamespace(ns).withName("native-spark-driver").get().getSpec()
        .getReplicas()).isEqualTo(1);
    assertThat(client.services().inNamespace(ns).withName("native-spark-driver").get().getSpec().getClusterIP())
        .isEqualTo("None");

    // Strimzi before 0.49: KafkaTopic served as v1beta2 only. No restart: the operator finds it and uses it.
    CrdInstaller.install(client, List.of(kafkaTopicV1beta2Only()));
    GenericKubernetesResource topic = await().atMost(WAIT).until(() -> client
        .genericKubernetesResources("kafka.strimzi.io/v1beta2", "KafkaTopic").inNamespace(ns)
        .withName("pulse.feed." + ns + ".northwind-news").get(), t -> t != null);
    assertThat(topic.getMetadata().getLabels()).containsEntry("strimzi.io/cluster", "pulse-kafka");
    assertThat(awaitCondition(SourceFeed.class, ns, "northwind-news", "Topic", "False", "TopicPending").getStatus()
        .condition("Topic").orElseThrow().getMessage()).as("the served version is reported")
        .contains("KafkaTopic kafka.strimzi.io/v1beta2");
    await().atMost(WAIT).until(() -> client.genericKubernetesResources("kafka.strimzi.io/v1beta2", "KafkaTopic")
        .inNamespace(ns).list().getItems().size() == 12); // the feed's, its dead letters' and each pipeline's five

    // Strimzi's topic operator reports the topics Ready (v1beta2 status): the feed follows through the informer.
    for (String name : List.of(topic.getMetadata().getName(), topic.getMetadata().getName() + ".dead-letters")) {
      client.genericKubernetesResources("kafka.strimzi.io/v1beta2", "KafkaTopic").inNamespace(ns)
          .withName(name).editStatus(t -> {
            t.getAdditionalProperties().put("status", Map.of("observedGeneration", t.getMetadata().getGeneration(),
                "conditions", List.of(Map.of("type", "Ready", "status", "True",
                    "lastTransitionTime", "2026-12-06T00:00:00Z"))));
            return t;
          });
    }
    awaitCondition(SourceFeed.class, ns, "northwind-news", "Topic", "True", "TopicReady");

    // The Spark operator's CRD installed later: the SparkApplication is created and the condition follows.
    CrdInstaller.install(client, List.of(CrdInstaller.fromClasspath(
        "upstream-crds/sparkoperator.k8s.io_sparkapplications.yaml")));
    awaitCondition(SentimentPipeline.class, ns, "minimal", "Spark", "False", "SparkPending");
    assertThat(client.genericKubernetesResources("sparkoperator.k8s.io/v1beta2", "SparkApplication")
        .inNamespace(ns).withName("minimal-stream").get()).isNotNull();
    // The unset launcher now means the Spark operator: its SparkApplication replaces the operator's own driver.
    awaitCondition(SentimentPipeline.class, ns, "native", "Spark", "False", "SparkPending");
    await().atMost(WAIT).until(() -> client.apps().deployments().inNamespace(ns).withName("native-spark-driver")
        .get() == null);
    assertThat(client.genericKubernetesResources("sparkoperator.k8s.io/v1beta2", "SparkApplication")
        .inNamespace(ns).withName("native-stream").get()).isNotNull();
  }

  /** Strimzi 0.51.0's KafkaTopic CRD without its v1 version: what Strimzi 0.48 and earlier serve. */
  private static CustomResourceDefinition kafkaTopicV1beta2Only() {
    CustomResourceDefinition crd = CrdInstaller.fromClasspath("upstream-crds/strimzi-0.51.0_kafkatopics.yaml");
    crd.getSpec().getVersions().removeIf(v -> "v1".equals(v.getName()));
    assertThat(crd.getSpec().getVersions()).anySatisfy(v -> {
      assertThat(v.getName()).isEqualTo("v1beta2");
      assertThat(v.getStorage()).isTrue();
    });
    return crd;
  }

  private static void create(String ns, GenericKubernetesResource object) {
    client.genericKubernetesResources(object.getApiVersion(), object.getKind()).inNamespace(ns).resource(object).create();
  }

  private static List<Event> events(String ns, String kind, String name) {
    return client.v1().events().inNamespace(ns).list().getItems().stream()
        .filter(e -> name.equals(e.getInvolvedObject().getName()) && kind.equals(e.getInvolvedObject().getKind()))
        .toList();
  }

  private static <R extends CustomResource<?, ? extends PulseStatus>> R awaitCondition(Class<R> kind, String ns,
      String name, String type, String status, String reason) {
    return await().atMost(WAIT).until(() -> client.resources(kind).inNamespace(ns).withName(name).get(), r -> {
      PulseCondition c = r == null || r.getStatus() == null ? null : r.getStatus().condition(type).orElse(null);
      return c != null && status.equals(c.getStatus()) && reason.equals(c.getReason());
    });
  }
}
