package dev.pulse.operator.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.pulse.crd.common.PulseCondition;
import dev.pulse.crd.v1alpha1.ModelAdapter;
import dev.pulse.crd.v1alpha1.ModelAdapterStatus;
import dev.pulse.crd.v1alpha1.SentimentPipeline;
import dev.pulse.crd.v1alpha1.SentimentPipelineStatus;
import dev.pulse.operator.pipeline.spark.SparkApplication;
import dev.pulse.operator.reconcile.SentimentPipelineReconciler;
import dev.pulse.operator.support.RunningOperator;
import dev.pulse.testing.Samples;
import dev.pulse.testsupport.QdrantStandIn;
import dev.pulse.testsupport.QdrantStandIn.StoredCollection;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.qdrant.client.grpc.Collections.Distance;
import io.strimzi.api.kafka.model.common.ConditionBuilder;
import io.strimzi.api.kafka.model.topic.KafkaTopic;
import io.strimzi.api.kafka.model.topic.KafkaTopicStatusBuilder;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * SentimentPipeline reconciliation against a real kube-apiserver with the upstream CRDs installed (Strimzi
 * KafkaTopic, the Spark operator's SparkApplication, Prometheus operator), so every object the operator writes
 * passes the real schemas, and against a Qdrant gRPC stand-in. Strimzi, the Spark operator, the Deployment
 * controller and Pulse's ModelAdapter controller do not run here: tests named "...WhenControllersReport..." write
 * those statuses themselves, as those controllers would.
 */
class SentimentPipelineOnRealApiServerTest {

  private static final String QDRANT_KEY = "qdrant-test-key";
  private static RunningOperator operator;
  private static KubernetesClient client;
  private static QdrantStandIn qdrant;

  @BeforeAll
  static void start() throws Exception {
    qdrant = new QdrantStandIn(QDRANT_KEY);
    operator = RunningOperator.start(new SentimentPipelineReconciler());
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

  /** A namespace with the samples' Secrets and the two SourceFeeds labelled pulse.dev/brand=northwind. */
  private static String namespaceWithFeeds(String prefix) {
    String ns = operator.server().createNamespace(prefix);
    secret(ns, "qdrant-api", "api-key", QDRANT_KEY);
    secret(ns, "hf-token", "token", "hf_test");
    secret(ns, "pulse-dashboard-token", "token", "dash");
    for (String file : List.of("sourcefeed-rss-news.yaml", "sourcefeed-replay.yaml")) {
      client.genericKubernetesResources("pulse.dev/v1alpha1", "SourceFeed").inNamespace(ns)
          .resource(Samples.first(file, "SourceFeed")).create();
    }
    return ns;
  }

  private static void secret(String ns, String name, String key, String value) {
    client.secrets().inNamespace(ns).resource(new SecretBuilder().withNewMetadata().withName(name).endMetadata()
        .withStringData(Map.of(key, value)).build()).create();
  }

  /** The sample pipeline, pointed at the Qdrant stand-in, with a collection of its own. */
  private static GenericKubernetesResource pipelineSample(String ns) {
    GenericKubernetesResource sample = Samples.first("sentimentpipeline-northwind.yaml", "SentimentPipeline");
    Samples.with(sample, "spec.vectorStore.host", "127.0.0.1");
    Samples.with(sample, "spec.vectorStore.grpcPort", qdrant.port());
    Samples.with(sample, "spec.vectorStore.collection", collection(ns));
    return sample;
  }

  private static String collection(String ns) {
    return "posts_" + ns.replace('-', '_');
  }

  private static void create(String ns, GenericKubernetesResource r) {
    client.genericKubernetesResources(r.getApiVersion(), r.getKind()).inNamespace(ns).resource(r).create();
  }

  private static SentimentPipeline pipeline(String ns) {
    return client.resources(SentimentPipeline.class).inNamespace(ns).withName("northwind").get();
  }

  private static PulseCondition condition(String ns, String type) {
    SentimentPipeline p = pipeline(ns);
    return p == null || p.getStatus() == null ? null : p.getStatus().condition(type).orElse(null);
  }

  private static PulseCondition awaitCondition(String ns, String type, String status, String reason) {
    return await().atMost(Duration.ofSeconds(45)).until(() -> condition(ns, type),
        c -> c != null && status.equals(c.getStatus()) && reason.equals(c.getReason()));
  }

  private static void adapterStatus(String ns, ModelAdapterStatus.Phase phase, String path) {
    client.resources(ModelAdapter.class).inNamespace(ns).withName("northwind-gemma-sentiment").editStatus(a -> {
      ModelAdapterStatus s = new ModelAdapterStatus();
      s.setPhase(phase);
      s.setAdapterPath(path);
      a.setStatus(s);
      return a;
    });
  }

  private static void deploymentAvailable(String ns, String name) {
    Deployment d = await().atMost(Duration.ofSeconds(30)).until(
        () -> client.apps().deployments().inNamespace(ns).withName(name).get(), x -> x != null);
    int replicas = d.getSpec().getReplicas();
    client.apps().deployments().inNamespace(ns).withName(name).editStatus(x -> {
      x.setStatus(new DeploymentStatusBuilder().withObservedGeneration(x.getMetadata().getGeneration())
          .withReplicas(replicas).withReadyReplicas(replicas).withAvailableReplicas(replicas)
          .withUpdatedReplicas(replicas).build());
      return x;
    });
  }

  @Test
  void samplePipelineCreatesEverythingAndBecomesReadyWhenControllersReportReady() {
    String ns = namespaceWithFeeds("pipeline");
    create(ns, Samples.first("modeladapter-gemma.yaml", "ModelAdapter"));
    adapterStatus(ns, ModelAdapterStatus.Phase.Training, null);
    create(ns, pipelineSample(ns));

    // Every object exists and passed the real upstream schemas (a rejected one would be an ApplyFailed condition).
    // The PrometheusRule is applied last, so once it exists every other object has been applied.
    await().atMost(Duration.ofSeconds(45)).until(() -> client.genericKubernetesResources("monitoring.coreos.com/v1",
        "PrometheusRule").inNamespace(ns).withName("northwind-pulse").get() != null);
    SparkApplication app = await().atMost(Duration.ofSeconds(45)).until(
        () -> client.resources(SparkApplication.class).inNamespace(ns).withName("northwind-stream").get(), x -> x != null);
    assertThat(app.getSpec().getSparkConf().get("spark.pulse.topics.input"))
        .isEqualTo("pulse.feed." + ns + ".northwind-news,pulse.feed." + ns + ".northwind-replay");
    assertThat(app.getSpec().getSuspend()).isNull();
    assertThat(client.resources(KafkaTopic.class).inNamespace(ns).list().getItems()).hasSize(5);
    assertThat(client.network().v1().ingresses().inNamespace(ns).withName("northwind-dashboard").get()).isNotNull();
    assertThat(client.genericKubernetesResources("monitoring.coreos.com/v1", "ServiceMonitor").inNamespace(ns)
        .withName("northwind-pulse").get()).isNotNull();
    assertThat(client.genericKubernetesResources("monitoring.coreos.com/v1", "PrometheusRule").inNamespace(ns)
        .withName("northwind-pulse").get()).isNotNull();

    // The collection is created in Qdrant with the spec's shape.
    await().atMost(Duration.ofSeconds(30)).until(() -> qdrant.collections().containsKey(collection(ns)));
    assertThat(qdrant.collections().get(collection(ns))).isEqualTo(new StoredCollection(384, Distance.Cosine, 0));
    awaitCondition(ns, "VectorStore", "True", "CollectionReady");
    awaitCondition(ns, "Monitoring", "True", "Monitored");

    // The adapter is still training: the LLM part waits and says so; no vLLM yet.
    PulseCondition llm = awaitCondition(ns, "LLM", "False", "AdapterNotReady");
    assertThat(llm.getMessage()).contains("northwind-gemma-sentiment").contains("Training");
    assertThat(client.apps().deployments().inNamespace(ns).withName("northwind-vllm").get()).isNull();

    // The adapter succeeds: vLLM is deployed serving it.
    adapterStatus(ns, ModelAdapterStatus.Phase.Succeeded, "pvc://pulse-adapters/adapters/northwind-gemma-sentiment/1");
    Deployment vllm = await().atMost(Duration.ofSeconds(30)).until(
        () -> client.apps().deployments().inNamespace(ns).withName("northwind-vllm").get(), x -> x != null);
    assertThat(vllm.getSpec().getTemplate().getSpec().getContainers().get(0).getArgs())
        .containsSubsequence("--lora-modules", "northwind-gemma-sentiment=/adapters/adapters/northwind-gemma-sentiment/1");

    // Strimzi, the Spark operator and the Deployment controller report ready.
    for (KafkaTopic t : client.resources(KafkaTopic.class).inNamespace(ns).list().getItems()) {
      client.resources(KafkaTopic.class).inNamespace(ns).withName(t.getMetadata().getName()).editStatus(x -> {
        x.setStatus(new KafkaTopicStatusBuilder().withObservedGeneration(x.getMetadata().getGeneration())
            .withTopicName(x.getSpec().getTopicName())
            .withConditions(new ConditionBuilder().withType("Ready").withStatus("True").build()).build());
        return x;
      });
    }
    // The status exactly as the Spark operator writes it (the real CRD requires driverInfo).
    client.genericKubernetesResources("sparkoperator.k8s.io/v1beta2", "SparkApplication").inNamespace(ns)
        .withName("northwind-stream").editStatus(x -> {
          x.setAdditionalProperty("status", Map.of(
              "applicationState", Map.of("state", "RUNNING"),
              "driverInfo", Map.of("podName", "northwind-stream-driver", "webUIServiceName", "northwind-stream-ui-svc",
                  "webUIPort", 4040),
              "sparkApplicationId", "spark-5d1f0c2e", "submissionAttempts", 1, "executionAttempts", 1));
          return x;
        });
    awaitCondition(ns, "Spark", "True", "Running");
    for (String d : List.of("northwind-vllm", "northwind-llm-gateway", "northwind-dashboard")) {
      deploymentAvailable(ns, d);
    }

    awaitCondition(ns, "Ready", "True", "Ready");
    SentimentPipelineStatus status = pipeline(ns).getStatus();
    assertThat(status.getPhase()).isEqualTo(SentimentPipelineStatus.Phase.Running);
    assertThat(status.getFeedCount()).isEqualTo(2);
    assertThat(status.getFeeds()).containsExactly("northwind-news", "northwind-replay");
    assertThat(status.getOutputTopics()).hasSize(5);
    assertThat(status.getSparkApplicationState()).isEqualTo("RUNNING");
    assertThat(status.getServedAdapter()).isEqualTo("northwind-gemma-sentiment");
    assertThat(status.getDashboardUrl()).isEqualTo("https://pulse.northwind.example.com");
    assertThat(status.getObservedGeneration()).isEqualTo(pipeline(ns).getMetadata().getGeneration());
    assertThat(operator.eventsAbout(pipeline(ns))).extracting(e -> e.getReason())
        .contains("AdapterNotReady", "Running", "Ready");

    // Suspend: everything scales to zero, the Spark application is suspended, topics stay.
    // The operator writes the pipeline too (finalizer, status): retry on 409 as a real client does.
    RunningOperator.retryOnConflict(() -> client.resources(SentimentPipeline.class).inNamespace(ns).withName("northwind").edit(p -> {
      p.getSpec().setSuspend(true);
      return p;
    }));
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
      assertThat(pipeline(ns).getStatus().getPhase()).isEqualTo(SentimentPipelineStatus.Phase.Suspended);
      assertThat(client.resources(SparkApplication.class).inNamespace(ns).withName("northwind-stream").get()
          .getSpec().getSuspend()).isTrue();
      for (String d : List.of("northwind-vllm", "northwind-llm-gateway", "northwind-dashboard")) {
        assertThat(client.apps().deployments().inNamespace(ns).withName(d).get().getSpec().getReplicas()).as(d).isZero();
      }
    });
    assertThat(client.resources(KafkaTopic.class).inNamespace(ns).list().getItems()).hasSize(5);
    assertThat(condition(ns, "Ready").getReason()).isEqualTo("Suspended");
  }

  @Test
  void aResyncThatFindsNothingNewWritesNothingAndADeletedOwnedObjectIsRepaired() throws InterruptedException {
    String ns = namespaceWithFeeds("noop");
    GenericKubernetesResource sample = pipelineSample(ns);
    Samples.with(sample, "spec.llm", Map.of("enabled", false));
    create(ns, sample);
    awaitCondition(ns, "VectorStore", "True", "CollectionReady");
    await().atMost(Duration.ofSeconds(30)).until(() -> client.genericKubernetesResources("monitoring.coreos.com/v1",
        "PrometheusRule").inNamespace(ns).withName("northwind-pulse").get() != null);
    Thread.sleep(2 * RunningOperator.RESYNC.toMillis());   // let the first reconciles settle

    Map<String, String> before = resourceVersions(ns);
    // A change to a feed's unrelated label reconciles the pipeline (it asks Qdrant again) but changes nothing.
    int qdrantCalls = qdrant.calls();
    // The operator writes the pipeline too (finalizer, status): retry on 409 as a real client does.
    RunningOperator.retryOnConflict(() -> client.resources(dev.pulse.crd.v1alpha1.SourceFeed.class).inNamespace(ns).withName("northwind-news").edit(f -> {
      f.getMetadata().getLabels().put("touched", "yes");
      return f;
    }));
    await().atMost(Duration.ofSeconds(30)).until(() -> qdrant.calls() >= qdrantCalls + 2);
    Thread.sleep(1000);
    assertThat(resourceVersions(ns)).as("no writes during a no-op reconcile").isEqualTo(before);

    // A manual delete of an owned object is repaired through the informer on its kind.
    client.resources(SparkApplication.class).inNamespace(ns).withName("northwind-stream").delete();
    await().atMost(Duration.ofSeconds(30)).until(() -> {
      SparkApplication again = client.resources(SparkApplication.class).inNamespace(ns).withName("northwind-stream").get();
      return again != null && again.getMetadata().getDeletionTimestamp() == null
          && !again.getMetadata().getUid().equals(before.get("uid:SparkApplication"));
    });
  }

  /** resourceVersion of the pipeline and of everything it owns (a write to any of them changes it). */
  private static Map<String, String> resourceVersions(String ns) {
    Map<String, String> versions = new java.util.TreeMap<>();
    SentimentPipeline p = pipeline(ns);
    versions.put("SentimentPipeline", p.getMetadata().getResourceVersion());
    List<io.fabric8.kubernetes.api.model.HasMetadata> owned = new java.util.ArrayList<>();
    owned.addAll(client.resources(KafkaTopic.class).inNamespace(ns).list().getItems());
    owned.addAll(client.resources(SparkApplication.class).inNamespace(ns).list().getItems());
    owned.addAll(client.apps().deployments().inNamespace(ns).list().getItems());
    owned.addAll(client.services().inNamespace(ns).list().getItems());
    owned.addAll(client.network().v1().ingresses().inNamespace(ns).list().getItems());
    owned.addAll(client.serviceAccounts().inNamespace(ns).list().getItems());
    owned.addAll(client.rbac().roleBindings().inNamespace(ns).list().getItems());
    owned.addAll(client.genericKubernetesResources("monitoring.coreos.com/v1", "PrometheusRule").inNamespace(ns).list().getItems());
    owned.addAll(client.genericKubernetesResources("monitoring.coreos.com/v1", "ServiceMonitor").inNamespace(ns).list().getItems());
    for (var o : owned) {
      versions.put(o.getKind() + "/" + o.getMetadata().getName(), o.getMetadata().getResourceVersion());
      if (o instanceof SparkApplication) {
        versions.put("uid:SparkApplication", o.getMetadata().getUid());
      }
    }
    assertThat(versions).containsKeys("SparkApplication/northwind-stream", "Deployment/northwind-dashboard",
        "KafkaTopic/northwind-dead-letters", "KafkaTopic/northwind-labelled");
    return versions;
  }

  @Test
  void partsTurnedOffInTheSpecAreRemoved() {
    String ns = namespaceWithFeeds("prune");
    GenericKubernetesResource sample = pipelineSample(ns);
    Samples.with(sample, "spec.llm.modelAdapterRef", null);   // serve the base model: vLLM is deployed at once
    create(ns, sample);
    await().atMost(Duration.ofSeconds(45)).until(() -> client.apps().deployments().inNamespace(ns)
        .withName("northwind-vllm").get() != null && client.network().v1().ingresses().inNamespace(ns)
        .withName("northwind-dashboard").get() != null);

    // The operator writes the pipeline too (finalizer, status): retry on 409 as a real client does.
    RunningOperator.retryOnConflict(() -> client.resources(SentimentPipeline.class).inNamespace(ns).withName("northwind").edit(p -> {
      p.getSpec().getLlm().setEnabled(false);
      p.getSpec().getDashboard().setIngress(null);
      return p;
    }));
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
      for (String name : List.of("northwind-vllm", "northwind-llm-gateway")) {
        Deployment d = client.apps().deployments().inNamespace(ns).withName(name).get();
        assertThat(d == null || d.getMetadata().getDeletionTimestamp() != null).as(name).isTrue();
        assertThat(client.services().inNamespace(ns).withName(name).get()).as(name).isNull();
      }
      assertThat(client.network().v1().ingresses().inNamespace(ns).withName("northwind-dashboard").get()).isNull();
    });
    assertThat(client.apps().deployments().inNamespace(ns).withName("northwind-dashboard").get()).isNotNull();
    awaitCondition(ns, "LLM", "True", "Disabled");
  }

  @Test
  void aMissingFeedIsReportedAndTheOthersAreRead() {
    String ns = namespaceWithFeeds("missing-feed");
    GenericKubernetesResource sample = pipelineSample(ns);
    Samples.with(sample, "spec.feeds", Map.of("names", List.of("northwind-news", "ghost-feed")));
    Samples.with(sample, "spec.llm", Map.of("enabled", false));
    create(ns, sample);
    PulseCondition topics = awaitCondition(ns, "Topics", "False", "FeedsMissing");
    assertThat(topics.getMessage()).contains("ghost-feed").contains(ns);
    assertThat(pipeline(ns).getStatus().getFeedCount()).isEqualTo(1);
    assertThat(condition(ns, "Ready").getStatus()).isEqualTo("False");
    assertThat(condition(ns, "LLM").getReason()).isEqualTo("Disabled");
    SparkApplication app = client.resources(SparkApplication.class).inNamespace(ns).withName("northwind-stream").get();
    assertThat(app.getSpec().getSparkConf().get("spark.pulse.topics.input")).isEqualTo("pulse.feed." + ns + ".northwind-news");
    assertThat(client.apps().deployments().inNamespace(ns).withName("northwind-vllm").get()).isNull();
  }

  @Test
  void collectionDriftIsReportedAndNeverRecreated() {
    String ns = namespaceWithFeeds("drift");
    qdrant.seed(collection(ns), 768, Distance.Dot, 1200);
    create(ns, pipelineSample(ns));
    PulseCondition drift = awaitCondition(ns, "VectorStore", "False", "CollectionDrift");
    assertThat(drift.getMessage()).contains("vector size is 768, spec says 384").contains("distance is Dot, spec says Cosine");
    assertThat(qdrant.collections().get(collection(ns)).points()).as("vectors kept").isEqualTo(1200);
    assertThat(condition(ns, "Ready").getStatus()).isEqualTo("False");
  }

  @Test
  void unreachableQdrantIsReportedAndRetriedUntilItAnswers() {
    String ns = namespaceWithFeeds("qdrant-down");
    GenericKubernetesResource sample = pipelineSample(ns);
    Samples.with(sample, "spec.vectorStore.grpcPort", 1);   // nothing listens there
    create(ns, sample);
    PulseCondition down = awaitCondition(ns, "VectorStore", "False", "QdrantUnreachable");
    assertThat(down.getMessage()).contains("127.0.0.1:1").doesNotContain(QDRANT_KEY);
    // The operator writes the pipeline too (finalizer, status): retry on 409 as a real client does.
    RunningOperator.retryOnConflict(() -> client.resources(SentimentPipeline.class).inNamespace(ns).withName("northwind").edit(p -> {
      p.getSpec().getVectorStore().setGrpcPort(qdrant.port());
      return p;
    }));
    awaitCondition(ns, "VectorStore", "True", "CollectionCreated");
  }

  @Test
  void deletingThePipelineDeletesItsCollectionUnlessRetained() {
    String ns = namespaceWithFeeds("finalize");
    create(ns, pipelineSample(ns));
    await().atMost(Duration.ofSeconds(30)).until(() -> qdrant.collections().containsKey(collection(ns)));
    // Pulse deletes only what it created: the mark is in the status once the reconcile that created it wrote it.
    await().atMost(Duration.ofSeconds(30)).until(() -> collection(ns).equals(pipeline(ns).getStatus().getCreatedCollection()));
    assertThat(pipeline(ns).getMetadata().getFinalizers()).isNotEmpty();
    client.resources(SentimentPipeline.class).inNamespace(ns).withName("northwind").delete();
    await().atMost(Duration.ofSeconds(30)).until(() -> pipeline(ns) == null);
    assertThat(qdrant.collections()).doesNotContainKey(collection(ns));

    String kept = namespaceWithFeeds("retain");
    GenericKubernetesResource sample = pipelineSample(kept);
    Samples.with(sample, "spec.vectorStore.retainOnDelete", true);
    create(kept, sample);
    await().atMost(Duration.ofSeconds(30)).until(() -> qdrant.collections().containsKey(collection(kept)));
    client.resources(SentimentPipeline.class).inNamespace(kept).withName("northwind").delete();
    await().atMost(Duration.ofSeconds(30)).until(() -> pipeline(kept) == null);
    assertThat(qdrant.collections()).containsKey(collection(kept));
  }

  @Test
  void monitoringKindsAreDetectedAndAnAbsentGroupIsNotAnError() {
    ApiDiscovery discovery = new ApiDiscovery(client, Clock.systemUTC());
    assertThat(discovery.monitoring()).isEqualTo(RenderInputs.MonitoringSupport.ALL);
    assertThat(discovery.serves("monitoring.example.invalid/v1", "ServiceMonitor")).isFalse();
    assertThat(discovery.serves("monitoring.coreos.com/v1", "NoSuchKind")).isFalse();
    assertThat(PipelineConditions.monitoring(PipelineFixtures.northwind("x"), RenderInputs.MonitoringSupport.NONE))
        .satisfies(c -> {
          assertThat(c.getReason()).isEqualTo("PrometheusOperatorAbsent");
          assertThat(c.getMessage()).contains("install the Prometheus operator");
        });
    assertThat(SentimentPipelineObjects.desired(PipelineFixtures.northwind("x"),
        new RenderInputs(null, List.of("t"), null, RenderInputs.MonitoringSupport.NONE)))
        .noneMatch(o -> o.getApiVersion().startsWith("monitoring.coreos.com"));
  }
}
