package dev.pulse.operator.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pulse.crd.v1alpha1.ModelAdapterStatus;
import dev.pulse.crd.v1alpha1.SentimentPipeline;
import dev.pulse.crd.v1alpha1.pipeline.ScoringSpec;
import dev.pulse.crd.v1alpha1.pipeline.SparkSpec;
import dev.pulse.operator.pipeline.spark.SparkApplication;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.strimzi.api.kafka.model.topic.KafkaTopic;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import dev.pulse.contract.Durations;
import org.junit.jupiter.api.Test;

/** The pure spec → objects function, without a cluster. */
class SentimentPipelineObjectsTest {

  private final SentimentPipeline pipeline = PipelineFixtures.northwind("brands");

  private List<HasMetadata> render(ModelAdapterStatus.Phase phase) {
    return SentimentPipelineObjects.desired(pipeline,
        PipelineFixtures.inputs(PipelineFixtures.adapter("brands", phase, "pvc://pulse-adapters/adapters/northwind-gemma-sentiment/1")));
  }

  private static <T> T one(List<HasMetadata> objects, Class<T> type, String name) {
    return objects.stream().filter(type::isInstance).filter(o -> o.getMetadata().getName().equals(name))
        .map(type::cast).findFirst().orElseThrow(() -> new AssertionError("no " + type.getSimpleName() + " " + name));
  }

  @Test
  void everyObjectIsLabelledAndOwnedByThePipeline() {
    List<HasMetadata> objects = render(ModelAdapterStatus.Phase.Succeeded);
    assertThat(objects).extracting(HasMetadata::getKind).contains("KafkaTopic", "SparkApplication", "Deployment",
        "Service", "Ingress", "ServiceMonitor", "PrometheusRule", "ServiceAccount", "RoleBinding");
    for (HasMetadata o : objects) {
      assertThat(o.getMetadata().getNamespace()).as(o.getKind()).isEqualTo("brands");
      assertThat(o.getMetadata().getLabels()).as(o.getKind() + " " + o.getMetadata().getName())
          .containsEntry("app.kubernetes.io/managed-by", "pulse-operator")
          .containsEntry("app.kubernetes.io/instance", "northwind")
          .containsKey("app.kubernetes.io/component");
      assertThat(o.getMetadata().getOwnerReferences()).singleElement()
          .satisfies(ref -> {
            assertThat(ref.getKind()).isEqualTo("SentimentPipeline");
            assertThat(ref.getController()).isTrue();
          });
    }
  }

  @Test
  void outputTopicsKeepDeadLettersFourTimesLonger() {
    List<HasMetadata> objects = render(ModelAdapterStatus.Phase.Succeeded);
    Map<String, KafkaTopic> topics = objects.stream().filter(KafkaTopic.class::isInstance).map(KafkaTopic.class::cast)
        .collect(Collectors.toMap(t -> t.getSpec().getTopicName(), t -> t));
    assertThat(topics).containsOnlyKeys("pulse.pipeline.brands.northwind.scored",
        "pulse.pipeline.brands.northwind.aggregates", "pulse.pipeline.brands.northwind.alerts",
        "pulse.pipeline.brands.northwind.dead-letters", "pulse.pipeline.brands.northwind.labelled");
    long week = 168L * 3600 * 1000;
    assertThat(topics.get("pulse.pipeline.brands.northwind.scored").getSpec().getConfig()).containsEntry("retention.ms", week);
    assertThat(topics.get("pulse.pipeline.brands.northwind.dead-letters").getSpec().getConfig())
        .containsEntry("retention.ms", 4 * week);
    assertThat(topics.get("pulse.pipeline.brands.northwind.labelled").getSpec().getConfig())
        .as("labels are compacted, not deleted").containsEntry("cleanup.policy", "compact").doesNotContainKey("retention.ms");
    assertThat(topics.values()).allSatisfy(t -> {
      assertThat(t.getMetadata().getLabels()).containsEntry("strimzi.io/cluster", "pulse-kafka");
      assertThat(t.getSpec().getPartitions()).isEqualTo(6);
      assertThat(t.getSpec().getReplicas()).isEqualTo(3);
    });
  }

  @Test
  void realTimeModeGetsATaskSlotPerFeedPartitionAndMicroBatchWhatItAsked() {
    SentimentPipeline p = PipelineFixtures.northwind("brands");
    RenderInputs twelve = new RenderInputs(null, List.of("a", "b"), null, RenderInputs.MonitoringSupport.NONE, 12);
    assertThat(SparkApplications.executorInstances(p, twelve)).as("13 slots of 2 cores").isEqualTo(7);
    p.getSpec().getSpark().getExecutor().setInstances(10);
    assertThat(SparkApplications.executorInstances(p, twelve)).as("never lowered").isEqualTo(10);
    RenderInputs huge = new RenderInputs(null, List.of("a"), null, RenderInputs.MonitoringSupport.NONE, 100_000);
    assertThat(SparkApplications.executorInstances(p, huge)).as("capped at the CRD's maximum")
        .isEqualTo(SparkApplications.MAX_EXECUTORS);
    p.getSpec().getSpark().getExecutor().setInstances(2);
    p.getSpec().getSpark().setTriggerMode(SparkSpec.TriggerMode.MicroBatch);
    assertThat(SparkApplications.executorInstances(p, twelve)).isEqualTo(2);
    assertThat(SparkApplications.sparkConf(p, twelve)).containsEntry("spark.pulse.trigger.mode", "MicroBatch");
  }

  @Test
  void theScoringTierReachesTheJob() {
    SentimentPipeline p = PipelineFixtures.northwind("brands");
    RenderInputs inputs = new RenderInputs(null, List.of("a"), null, RenderInputs.MonitoringSupport.NONE, 3);
    p.getSpec().getScoring().setTier(ScoringSpec.Tier.full);
    assertThat(SparkApplications.sparkConf(p, inputs)).containsEntry("spark.pulse.scoring.tier", "full");
    // The job reads it with the same names (PipelineSettings accepts full, fast and lexicon).
    for (ScoringSpec.Tier t : ScoringSpec.Tier.values()) {
      p.getSpec().getScoring().setTier(t);
      assertThat(SparkApplications.sparkConf(p, inputs).get("spark.pulse.scoring.tier")).isEqualTo(t.name());
    }
  }

  @Test
  void sparkApplicationCarriesTheStreamingSettings() {
    SparkApplication app = one(render(ModelAdapterStatus.Phase.Succeeded), SparkApplication.class, "northwind-stream");
    assertThat(app.getSpec().getType().getValue()).isEqualTo("Java");
    assertThat(app.getSpec().getMode().getValue()).isEqualTo("cluster");
    assertThat(app.getSpec().getMainClass()).isEqualTo("dev.pulse.spark.SentimentStreamingJob");
    assertThat(app.getSpec().getSparkVersion()).isEqualTo("4.1.1");
    assertThat(app.getSpec().getDriver().getCores()).isEqualTo(1);
    // RealTime: 2 feeds x 3 partitions, each holding a task slot, plus one for the aggregates query = 7 slots, so
    // the sample's 2 executors of 2 cores are raised to 4.
    assertThat(app.getSpec().getExecutor().getInstances()).isEqualTo(4);
    assertThat(app.getSpec().getExecutor().getCores()).isEqualTo(2);
    assertThat(app.getSpec().getExecutor().getMemory()).isEqualTo("4g");
    assertThat(app.getSpec().getSparkConf())
        .containsEntry("spark.pulse.trigger.interval", "1s")
        .containsEntry("spark.pulse.trigger.mode", "RealTime")
        .containsEntry("spark.pulse.trigger.checkpointInterval", "30s")
        .containsEntry("spark.pulse.watermark", "10m")
        .containsEntry("spark.pulse.checkpointLocation", "s3a://pulse-checkpoints/northwind")
        .containsEntry("spark.pulse.kafka.bootstrapServers", "pulse-kafka-kafka-bootstrap:9092")
        .containsEntry("spark.pulse.topics.input", "pulse.feed.ns.northwind-news,pulse.feed.ns.northwind-replay")
        .containsEntry("spark.pulse.scoring.escalationThreshold", "0.6")
        .containsEntry("spark.pulse.scoring.tier", "fast")
        .containsEntry("spark.pulse.llm.gatewayUrl", "http://northwind-llm-gateway.brands.svc:8090")
        .containsEntry("spark.pulse.qdrant.host", "qdrant.qdrant.svc")
        .containsEntry("spark.pulse.qdrant.collection", "northwind_posts");
    // No dependence on spark-operator's webhook: env, mounts and security contexts are in the pods' templates,
    // which spark-submit applies itself; metrics come from Spark's own servlet.
    Container driver = app.getSpec().getDriver().getTemplate().getSpec().getContainers().get(0);
    assertThat(driver.getEnv()).extracting(EnvVar::getName).contains("PULSE_QDRANT_API_KEY");
    // Secrets only by reference; the one literal is the metrics port (SparkDriver.METRICS_PORT).
    assertThat(driver.getEnv()).filteredOn(e -> !e.getName().equals("PULSE_METRICS_PORT"))
        .allSatisfy(e -> assertThat(e.getValue()).isNull());
    assertThat(driver.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
    assertThat(app.getSpec().getExecutor().getTemplate().getSpec().getSecurityContext().getRunAsNonRoot()).isTrue();
    assertThat(app.getSpec().getExecutor().getTemplate().getSpec().getContainers().get(0).getVolumeMounts())
        .extracting(m -> m.getMountPath()).contains("/tmp");
    assertThat(app.getSpec().getDriver().getEnv()).as("nothing the webhook would have to apply").isNull();
    assertThat(app.getSpec().getDriver().getSecurityContext()).isNull();
    assertThat(app.getSpec().getVolumes()).isNull();
    assertThat(app.getSpec().getMonitoring()).isNull();
    assertThat(app.getSpec().getSparkConf())
        .containsEntry("spark.metrics.conf.*.sink.prometheusServlet.class", "org.apache.spark.metrics.sink.PrometheusServlet");
    assertThat(app.getSpec().getMainApplicationFile()).isEqualTo("local:///opt/pulse/lib/pulse-spark-job.jar");
    // A stream restarts whenever it stops, with backoff; OnFailure's 10 retries are counted over its whole life.
    assertThat(app.getSpec().getRestartPolicy().getType().getValue()).isEqualTo("Always");
    assertThat(app.getSpec().getRestartPolicy().getOnFailureRetryInterval()).isEqualTo(30L);
    assertThat(app.getSpec().getRestartPolicy().getOnFailureRetries()).isNull();
  }

  @Test
  void vllmServesTheAdapterOnlyOnceItSucceeded() {
    Container ready = one(render(ModelAdapterStatus.Phase.Succeeded), Deployment.class, "northwind-vllm")
        .getSpec().getTemplate().getSpec().getContainers().get(0);
    assertThat(ready.getArgs()).containsSubsequence("--model", "google/gemma-2b")
        .containsSubsequence("--quantization", "bitsandbytes")
        .containsSubsequence("--enable-lora", "--max-loras", "4")
        .containsSubsequence("--lora-modules", "northwind-gemma-sentiment=/adapters/adapters/northwind-gemma-sentiment/1")
        .containsSubsequence("--port", "8000");
    assertThat(ready.getResources().getLimits()).containsKey("nvidia.com/gpu");
    assertThat(one(render(ModelAdapterStatus.Phase.Succeeded), Deployment.class, "northwind-vllm").getSpec().getTemplate()
        .getSpec().getVolumes()).filteredOn(v -> v.getPersistentVolumeClaim() != null).singleElement()
        .satisfies(v -> {
          assertThat(v.getPersistentVolumeClaim().getClaimName()).isEqualTo("pulse-adapters");
          assertThat(v.getPersistentVolumeClaim().getReadOnly()).isTrue();
        });
    assertThat(ready.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/health");
    assertThat(ready.getEnv()).filteredOn(e -> e.getName().equals("HF_TOKEN")).singleElement()
        .satisfies(e -> assertThat(e.getValueFrom().getSecretKeyRef().getName()).isEqualTo("hf-token"));
    assertThat(ready.getEnv()).filteredOn(e -> e.getName().equals("HF_HOME")).singleElement()
        .satisfies(e -> assertThat(e.getValue()).isEqualTo("/models/huggingface"));

    Container training = one(render(ModelAdapterStatus.Phase.Training), Deployment.class, "northwind-vllm")
        .getSpec().getTemplate().getSpec().getContainers().get(0);
    assertThat(training.getArgs()).doesNotContain("--lora-modules").contains("--enable-lora");
  }

  @Test
  void gatewayIsConfiguredAsLlmRuntimeReadsIt() {
    Container gateway = one(render(ModelAdapterStatus.Phase.Succeeded), Deployment.class, "northwind-llm-gateway")
        .getSpec().getTemplate().getSpec().getContainers().get(0);
    Map<String, EnvVar> env = gateway.getEnv().stream().collect(Collectors.toMap(EnvVar::getName, e -> e));
    assertThat(env.get("PULSE_VLLM_BASE_URL").getValue()).isEqualTo("http://northwind-vllm.brands.svc:8000/v1");
    assertThat(env.get("PULSE_LLM_MODEL").getValue()).isEqualTo("northwind-gemma-sentiment");
    assertThat(env.get("PULSE_QDRANT_COLLECTION").getValue()).isEqualTo("northwind_posts");
    assertThat(env.get("PULSE_QDRANT_API_KEY").getValue()).isNull();
    assertThat(env.get("PULSE_QDRANT_API_KEY").getValueFrom().getSecretKeyRef().getName()).isEqualTo("qdrant-api");
    assertThat(env.get("PULSE_LLM_FOLD_SYSTEM_PROMPT").getValue()).as("the sample's base model is Gemma").isEqualTo("true");
    assertThat(env.get("PULSE_EMBEDDING_MODEL").getValue()).isEqualTo("all-minilm-l6-v2-q");
  }

  @Test
  void dashboardGetsAnIngressWithTls() {
    List<HasMetadata> objects = render(ModelAdapterStatus.Phase.Succeeded);
    Ingress ingress = one(objects, Ingress.class, "northwind-dashboard");
    assertThat(ingress.getSpec().getIngressClassName()).isEqualTo("nginx");
    assertThat(ingress.getSpec().getTls()).singleElement()
        .satisfies(tls -> assertThat(tls.getSecretName()).isEqualTo("pulse-northwind-tls"));
    Deployment dashboard = one(objects, Deployment.class, "northwind-dashboard");
    assertThat(dashboard.getSpec().getReplicas()).isEqualTo(2);
    Map<String, EnvVar> env = dashboard.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv().stream()
        .collect(Collectors.toMap(EnvVar::getName, e -> e));
    assertThat(env.get("PULSE_DASHBOARD_KAFKA_SCOREDTOPIC").getValue()).isEqualTo("pulse.pipeline.brands.northwind.scored");
    assertThat(env.get("PULSE_DASHBOARD_VECTORS_QDRANT_COLLECTION").getValue()).isEqualTo("northwind_posts");
    assertThat(env.get("PULSE_DASHBOARD_TOKEN").getValueFrom().getSecretKeyRef().getName()).isEqualTo("pulse-dashboard-token");
  }

  @Test
  void dashboardMayReadOnlyItsOwnPipeline() {
    List<HasMetadata> objects = render(ModelAdapterStatus.Phase.Succeeded);
    Deployment dashboard = one(objects, Deployment.class, "northwind-dashboard");
    assertThat(dashboard.getSpec().getTemplate().getSpec().getServiceAccountName()).isEqualTo("northwind-dashboard");
    io.fabric8.kubernetes.api.model.rbac.Role role =
        one(objects, io.fabric8.kubernetes.api.model.rbac.Role.class, "northwind-dashboard");
    assertThat(role.getRules()).singleElement().satisfies(rule -> {
      assertThat(rule.getApiGroups()).containsExactly("pulse.dev");
      assertThat(rule.getResources()).containsExactly("sentimentpipelines");
      assertThat(rule.getResourceNames()).containsExactly("northwind");
      assertThat(rule.getVerbs()).containsExactly("get");
    });
    io.fabric8.kubernetes.api.model.rbac.RoleBinding binding =
        one(objects, io.fabric8.kubernetes.api.model.rbac.RoleBinding.class, "northwind-dashboard");
    assertThat(binding.getRoleRef().getName()).isEqualTo("northwind-dashboard");
    assertThat(binding.getSubjects()).singleElement()
        .satisfies(sub -> assertThat(sub.getName()).isEqualTo("northwind-dashboard"));
  }

  @Test
  void everyPodTemplateIsRestrictedAndSized() {
    for (Deployment d : render(ModelAdapterStatus.Phase.Succeeded).stream()
        .filter(Deployment.class::isInstance).map(Deployment.class::cast).toList()) {
      PodSpec pod = d.getSpec().getTemplate().getSpec();
      assertThat(pod.getSecurityContext().getRunAsNonRoot()).as(d.getMetadata().getName()).isTrue();
      assertThat(pod.getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
      for (Container c : pod.getContainers()) {
        assertThat(c.getSecurityContext().getReadOnlyRootFilesystem()).as(c.getName()).isTrue();
        assertThat(c.getSecurityContext().getAllowPrivilegeEscalation()).as(c.getName()).isFalse();
        assertThat(c.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
        assertThat(c.getResources().getRequests()).as(c.getName()).containsKeys("cpu", "memory");
        assertThat(c.getResources().getLimits()).as(c.getName()).containsKeys("cpu", "memory");
        assertThat(c.getEnv()).as("credentials only by reference")
            .noneMatch(e -> e.getName().matches(".*(KEY|TOKEN).*") && e.getValue() != null);
      }
    }
  }

  @Test
  void suspendScalesEverythingToZeroAndKeepsTopics() {
    pipeline.getSpec().setSuspend(true);
    List<HasMetadata> objects = render(ModelAdapterStatus.Phase.Succeeded);
    assertThat(objects.stream().filter(Deployment.class::isInstance).map(Deployment.class::cast))
        .allSatisfy(d -> assertThat(d.getSpec().getReplicas()).as(d.getMetadata().getName()).isZero());
    assertThat(one(objects, SparkApplication.class, "northwind-stream").getSpec().getSuspend()).isTrue();
    assertThat(objects).filteredOn(KafkaTopic.class::isInstance).hasSize(5);
  }

  @Test
  void withoutLlmOrMonitoringThoseObjectsAreLeftOut() {
    pipeline.getSpec().getLlm().setEnabled(false);
    pipeline.getSpec().getSpark().setCheckpointLocation(null);
    List<HasMetadata> objects = SentimentPipelineObjects.desired(pipeline, new RenderInputs(null, List.of("t"), null,
        RenderInputs.MonitoringSupport.NONE));
    assertThat(objects).extracting(o -> o.getMetadata().getName())
        .doesNotContain("northwind-vllm", "northwind-llm-gateway", "northwind-pulse")
        .contains("northwind-checkpoints");
    SparkApplication app = one(objects, SparkApplication.class, "northwind-stream");
    assertThat(app.getSpec().getSparkConf()).doesNotContainKey("spark.pulse.llm.gatewayUrl")
        .containsEntry("spark.pulse.checkpointLocation", "file:///checkpoints/northwind");
  }

  @Test
  void durationsParseLikeGo() {
    assertThat(Durations.parse("1h30m").toMinutes()).isEqualTo(90);
    assertThat(Durations.parse("500ms").toMillis()).isEqualTo(500);
    assertThat(Durations.parse("1.5s").toMillis()).isEqualTo(1500);
  }
}
