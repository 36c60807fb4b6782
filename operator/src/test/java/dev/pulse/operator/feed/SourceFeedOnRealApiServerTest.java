package dev.pulse.operator.feed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.pulse.crd.common.PulseCondition;
import dev.pulse.crd.v1alpha1.SourceFeed;
import dev.pulse.operator.reconcile.SourceFeedReconciler;
import dev.pulse.operator.support.RunningOperator;
import dev.pulse.testing.Samples;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.strimzi.api.kafka.model.common.ConditionBuilder;
import io.strimzi.api.kafka.model.topic.KafkaTopic;
import io.strimzi.api.kafka.model.topic.KafkaTopicStatusBuilder;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * SourceFeed reconciliation against a real kube-apiserver with Strimzi's KafkaTopic CRD (0.51.0) installed, so every
 * object the operator writes passes the real schemas. Strimzi's topic operator and the Deployment controller do not
 * run here: the tests named "...WhenStrimziAndTheDeploymentControllerReport..." write those statuses themselves.
 */
class SourceFeedOnRealApiServerTest {

  private static RunningOperator operator;
  private static KubernetesClient client;
  private static SourceFeedReconciler reconciler;
  private static final io.micrometer.core.instrument.simple.SimpleMeterRegistry meters =
      new io.micrometer.core.instrument.simple.SimpleMeterRegistry();

  @BeforeAll
  static void start() {
    io.micrometer.core.instrument.Metrics.globalRegistry.add(meters);
    reconciler = new SourceFeedReconciler();
    operator = RunningOperator.start(reconciler);
    client = operator.testClient();
  }

  @AfterAll
  static void stop() {
    io.micrometer.core.instrument.Metrics.globalRegistry.remove(meters);
    if (operator != null) {
      operator.close();
    }
  }

  @Test
  void replaySampleBecomesTopicConfigIngesterAndServiceAndIsReadyWhenStrimziAndTheDeploymentControllerReportReady() {
    String ns = operator.server().createNamespace("feed");
    client.configMaps().inNamespace(ns).resource(
        client.getKubernetesSerialization().convertValue(Samples.first("sourcefeed-replay.yaml", "ConfigMap"),
            ConfigMap.class)).create();
    create(ns, "sourcefeed-replay.yaml");

    KafkaTopic topic = await().atMost(Duration.ofSeconds(30)).until(
        () -> client.resources(KafkaTopic.class).inNamespace(ns).withName("pulse.feed." + ns + ".northwind-replay").get(),
        t -> t != null);
    assertThat(topic.getApiVersion()).isEqualTo("kafka.strimzi.io/v1");
    assertThat(topic.getMetadata().getLabels()).containsEntry("strimzi.io/cluster", "pulse-kafka")
        .containsEntry("app.kubernetes.io/managed-by", "pulse-operator");
    assertThat(topic.getMetadata().getOwnerReferences()).singleElement()
        .satisfies(o -> assertThat(o.getKind()).isEqualTo("SourceFeed"));
    assertThat(topic.getSpec().getPartitions()).isEqualTo(1);
    assertThat(topic.getSpec().getReplicas()).isEqualTo(1);
    assertThat(((Number) topic.getSpec().getConfig().get("retention.ms")).longValue()).isEqualTo(86_400_000L);

    Deployment deployment = awaitObject(Deployment.class, ns, "northwind-replay-ingester");
    assertThat(deployment.getSpec().getReplicas()).isEqualTo(1);
    Container ingester = deployment.getSpec().getTemplate().getSpec().getContainers().get(0);
    assertThat(ingester.getArgs()).containsExactly("ingest", "--config", "/etc/pulse/ingest.yaml");
    assertThat(ingester.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
    assertThat(deployment.getSpec().getTemplate().getSpec().getVolumes())
        .anySatisfy(v -> assertThat(v.getConfigMap() == null ? null : v.getConfigMap().getName())
            .isEqualTo("northwind-replay-posts"));
    ConfigMap config = awaitObject(ConfigMap.class, ns, "northwind-replay-ingester");
    assertThat(config.getData().get("ingest.yaml")).contains("type: REPLAY").contains("file: /data/replay/posts.jsonl")
        .contains("bootstrapServers: pulse-kafka-kafka-bootstrap:9092");
    awaitObject(Service.class, ns, "northwind-replay-ingester");

    SourceFeed pending = awaitFeed(ns, "northwind-replay", f -> ready(f) != null);
    assertThat(ready(pending).getReason()).isEqualTo("TopicPending");
    assertThat(pending.getStatus().condition("Topic").orElseThrow().getStatus()).isEqualTo("False");

    // The ingester's dead-letter topic: one partition, the feed's replicas and config.
    KafkaTopic deadLetters = client.resources(KafkaTopic.class).inNamespace(ns)
        .withName(topic.getMetadata().getName() + ".dead-letters").get();
    assertThat(deadLetters.getSpec().getPartitions()).isEqualTo(1);
    assertThat(deadLetters.getSpec().getReplicas()).isEqualTo(1);
    assertThat(config.getData().get("ingest.yaml"))
        .contains("deadLetterTopic: " + deadLetters.getMetadata().getName());

    markTopicReady(ns, topic.getMetadata().getName());
    markDeploymentAvailable(ns, "northwind-replay-ingester");
    // The feed's topic is ready, its dead-letter topic not yet: the Topic condition names the latter.
    SourceFeed waitingForDeadLetters = awaitFeed(ns, "northwind-replay",
        f -> f.getStatus().condition("Ingester").map(c -> c.holds()).orElse(false)
            && f.getStatus().condition("Topic").map(c -> c.getMessage().contains(deadLetters.getMetadata().getName()))
                .orElse(false));
    assertThat(ready(waitingForDeadLetters).holds()).as("the dead-letter topic is not ready yet").isFalse();
    assertThat(waitingForDeadLetters.getStatus().condition("Topic").orElseThrow().getReason())
        .isEqualTo("TopicPending");
    markTopicReady(ns, deadLetters.getMetadata().getName());

    SourceFeed readyFeed = awaitFeed(ns, "northwind-replay", f -> ready(f) != null && ready(f).holds());
    assertThat(readyFeed.getStatus().getIngesterReadyReplicas()).isEqualTo(1);
    assertThat(readyFeed.getStatus().condition("Ingester").orElseThrow().getReason()).isEqualTo("IngesterAvailable");
    assertThat(readyFeed.getStatus().condition("Topic").orElseThrow().getMessage())
        .as("the KafkaTopic version Strimzi serves").endsWith("(KafkaTopic kafka.strimzi.io/v1)");
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(operator.eventsAbout(readyFeed))
        .extracting(Event::getReason).contains("TopicPending", "TopicReady", "IngesterAvailable", "Ready"));

    // Resyncs that find nothing new write nothing: not the feed's status, not one owned object, no Event.
    sleep(1500); // let the reconcile triggered by the last status write finish
    Map<String, String> before = resourceVersions(ns);
    int events = operator.eventsAbout(readyFeed).size();
    String feedVersion = client.resources(SourceFeed.class).inNamespace(ns).withName("northwind-replay").get()
        .getMetadata().getResourceVersion();
    long reconcilesBefore = reconciler.reconcileCount();
    long unchangedBefore = unchangedReconciles();
    sleep(3 * RunningOperator.RESYNC.toMillis() + 500);
    assertThat(reconciler.reconcileCount()).as("periodic resyncs ran").isGreaterThan(reconcilesBefore);
    assertThat(unchangedReconciles()).as("metric pulse.operator.reconcile{result=unchanged}")
        .isGreaterThan(unchangedBefore);
    assertThat(resourceVersions(ns)).as("owned objects after no-op reconciles").isEqualTo(before);
    assertThat(client.resources(SourceFeed.class).inNamespace(ns).withName("northwind-replay").get()
        .getMetadata().getResourceVersion()).as("no status write").isEqualTo(feedVersion);
    assertThat(operator.eventsAbout(readyFeed)).as("no Event without a transition").hasSize(events);

    // A manual delete is repaired.
    client.apps().deployments().inNamespace(ns).withName("northwind-replay-ingester").delete();
    await().atMost(Duration.ofSeconds(30)).until(() -> {
      Deployment again = client.apps().deployments().inNamespace(ns).withName("northwind-replay-ingester").get();
      return again != null && again.getMetadata().getDeletionTimestamp() == null
          && !again.getMetadata().getUid().equals(deployment.getMetadata().getUid());
    });
  }

  @Test
  void suspendScalesTheIngesterToZeroAndSaysSo() {
    String ns = operator.server().createNamespace("suspend");
    create(ns, "sourcefeed-rss-news.yaml");
    awaitObject(Deployment.class, ns, "northwind-news-ingester");

    patchSpec(ns, "northwind-news", "{\"suspend\":true}");

    await().atMost(Duration.ofSeconds(30)).until(() -> client.apps().deployments().inNamespace(ns)
        .withName("northwind-news-ingester").get().getSpec().getReplicas() == 0);
    SourceFeed suspended = awaitFeed(ns, "northwind-news",
        f -> f.getStatus().condition("Ingester").map(c -> "Suspended".equals(c.getReason())).orElse(false));
    assertThat(suspended.getStatus().condition("Ingester").orElseThrow().getMessage()).contains("scaled to 0");
    assertThat(ready(suspended).getReason()).isEqualTo("Suspended");
  }

  @Test
  void aMissingSecretIsReportedWithAnEventAndLeavesTheDeploymentAlone() {
    String ns = operator.server().createNamespace("secret");
    create(ns, "sourcefeed-x.yaml");

    SourceFeed missing = awaitFeed(ns, "northwind-x",
        f -> f.getStatus().condition("Ingester").map(c -> "SecretMissing".equals(c.getReason())).orElse(false));
    assertThat(ready(missing).getReason()).isEqualTo("SecretMissing");
    assertThat(ready(missing).getMessage()).contains("x-api").contains("bearer-token");
    assertThat(client.apps().deployments().inNamespace(ns).withName("northwind-x-ingester").get())
        .as("no ingester that could only crash-loop").isNull();
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(operator.eventsAbout(missing))
        .anySatisfy(e -> {
          assertThat(e.getReason()).isEqualTo("SecretMissing");
          assertThat(e.getType()).isEqualTo("Warning");
        }));

    // The Secret appears: the next reconcile (here a spec change, else the 30 s re-check) creates the ingester.
    client.secrets().inNamespace(ns).resource(new SecretBuilder().withNewMetadata().withName("x-api").endMetadata()
        .addToStringData("bearer-token", "not-a-real-token").build()).create();
    touch(ns, "northwind-x", "1");
    Deployment deployment = awaitObject(Deployment.class, ns, "northwind-x-ingester");
    assertThat(deployment.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv())
        .anySatisfy(env -> {
          assertThat(env.getName()).isEqualTo("X_BEARER_TOKEN");
          assertThat(env.getValue()).isNull();
          assertThat(env.getValueFrom().getSecretKeyRef().getName()).isEqualTo("x-api");
          assertThat(env.getValueFrom().getSecretKeyRef().getKey()).isEqualTo("bearer-token");
        });

    // The Secret goes away again: the condition says so and the running Deployment is not rewritten.
    awaitFeed(ns, "northwind-x", f -> f.getStatus().condition("Ingester")
        .map(c -> !"SecretMissing".equals(c.getReason())).orElse(false));
    String deploymentVersion = client.apps().deployments().inNamespace(ns).withName("northwind-x-ingester").get()
        .getMetadata().getResourceVersion();
    client.secrets().inNamespace(ns).withName("x-api").delete();
    touch(ns, "northwind-x", "2");
    awaitFeed(ns, "northwind-x",
        f -> f.getStatus().condition("Ingester").map(c -> "SecretMissing".equals(c.getReason())).orElse(false));
    assertThat(client.apps().deployments().inNamespace(ns).withName("northwind-x-ingester").get()
        .getMetadata().getResourceVersion()).isEqualTo(deploymentVersion);
  }

  @Test
  void aFailingApplyIsReportedAsReconcileErrorAndRetried() {
    String ns = operator.server().createNamespace("clash");
    // Someone else's immutable ConfigMap sits where the ingester's config goes: every apply is rejected.
    client.configMaps().inNamespace(ns).resource(new io.fabric8.kubernetes.api.model.ConfigMapBuilder()
        .withNewMetadata().withName("northwind-news-ingester").endMetadata()
        .withImmutable(true).addToData("ingest.yaml", "not ours").build()).create();
    create(ns, "sourcefeed-rss-news.yaml");

    SourceFeed failing = awaitFeed(ns, "northwind-news",
        f -> ready(f) != null && "ReconcileError".equals(ready(f).getReason()));
    assertThat(ready(failing).getMessage()).contains("northwind-news-ingester").contains("immutable");
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(operator.eventsAbout(failing))
        .anySatisfy(e -> assertThat(e.getReason()).isEqualTo("ReconcileError")));

    client.configMaps().inNamespace(ns).withName("northwind-news-ingester").delete();
    awaitFeed(ns, "northwind-news", f -> ready(f) != null && "TopicPending".equals(ready(f).getReason()));
  }

  private static long unchangedReconciles() {
    var timer = meters.find("pulse.operator.reconcile").tags("kind", "SourceFeed", "result", "unchanged").timer();
    return timer == null ? 0 : timer.count();
  }

  private static void create(String ns, String sample) {
    GenericKubernetesResource feed = Samples.first(sample, "SourceFeed");
    client.genericKubernetesResources("pulse.dev/v1alpha1", "SourceFeed").inNamespace(ns).resource(feed).create();
  }

  /** A spec change: a new generation, so the operator reconciles at once. */
  private static void touch(String ns, String name, String value) {
    patchSpec(ns, name, "{\"pollInterval\":\"3" + value + "s\"}");
  }

  /** A merge patch carries no resourceVersion: it cannot conflict with the operator's status writes. */
  private static void patchSpec(String ns, String name, String specJson) {
    client.resources(SourceFeed.class).inNamespace(ns).withName(name)
        .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":" + specJson + "}");
  }

  private static void markTopicReady(String ns, String name) {
    // What Strimzi's topic operator writes once the topic exists in Kafka.
    RunningOperator.retryOnConflict(() -> client.resources(KafkaTopic.class).inNamespace(ns).withName(name).editStatus(t -> {
      t.setStatus(new KafkaTopicStatusBuilder()
          .withConditions(new ConditionBuilder().withType("Ready").withStatus("True")
              .withLastTransitionTime("2026-11-24T10:00:00Z").build())
          .withObservedGeneration(t.getMetadata().getGeneration())
          .withTopicName(name)
          .build());
      return t;
    }));
  }

  private static void markDeploymentAvailable(String ns, String name) {
    // What the Deployment controller writes once its pod is ready.
    RunningOperator.retryOnConflict(() -> client.apps().deployments().inNamespace(ns).withName(name).editStatus(d -> {
      d.setStatus(new DeploymentStatusBuilder().withObservedGeneration(d.getMetadata().getGeneration())
          .withReplicas(1).withUpdatedReplicas(1).withReadyReplicas(1).withAvailableReplicas(1).build());
      return d;
    }));
  }

  private static Map<String, String> resourceVersions(String ns) {
    Map<String, String> versions = new LinkedHashMap<>();
    List<? extends HasMetadata> owned = List.of(
        client.resources(KafkaTopic.class).inNamespace(ns).list().getItems(),
        client.configMaps().inNamespace(ns).withLabel("app.kubernetes.io/managed-by", "pulse-operator").list().getItems(),
        client.apps().deployments().inNamespace(ns).list().getItems(),
        client.services().inNamespace(ns).list().getItems()).stream().flatMap(List::stream).toList();
    owned.forEach(o -> versions.put(o.getKind() + "/" + o.getMetadata().getName(), o.getMetadata().getResourceVersion()));
    return versions;
  }

  private static <T extends HasMetadata> T awaitObject(Class<T> kind, String ns, String name) {
    return await().atMost(Duration.ofSeconds(30)).until(
        () -> client.resources(kind).inNamespace(ns).withName(name).get(), o -> o != null);
  }

  private static SourceFeed awaitFeed(String ns, String name, Function<SourceFeed, Boolean> until) {
    return await().atMost(Duration.ofSeconds(30)).until(
        () -> client.resources(SourceFeed.class).inNamespace(ns).withName(name).get(),
        f -> f != null && f.getStatus() != null && until.apply(f));
  }

  private static PulseCondition ready(SourceFeed feed) {
    return feed.getStatus() == null ? null : feed.getStatus().condition("Ready").orElse(null);
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
