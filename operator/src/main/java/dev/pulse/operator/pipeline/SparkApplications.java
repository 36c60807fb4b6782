package dev.pulse.operator.pipeline;

import static dev.pulse.operator.pipeline.PipelineDefaults.crisis;
import static dev.pulse.operator.pipeline.PipelineDefaults.driver;
import static dev.pulse.operator.pipeline.PipelineDefaults.executor;
import static dev.pulse.operator.pipeline.PipelineDefaults.or;
import static dev.pulse.operator.pipeline.PipelineDefaults.scoring;
import static dev.pulse.operator.pipeline.PipelineDefaults.spark;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pulse.contract.ScoringTier;
import dev.pulse.contract.SparkJobOptions;
import dev.pulse.contract.TriggerMode;
import dev.pulse.contract.VectorStoreKind;
import dev.pulse.crd.v1alpha1.SentimentPipeline;
import dev.pulse.crd.v1alpha1.pipeline.CrisisRule;
import dev.pulse.crd.v1alpha1.pipeline.PodSize;
import dev.pulse.crd.v1alpha1.pipeline.SparkSpec;
import dev.pulse.crd.v1alpha1.pipeline.ScoringSpec;
import dev.pulse.crd.v1alpha1.pipeline.VectorStoreSpec;
import dev.pulse.operator.pipeline.spark.SparkApplication;
import dev.pulse.operator.pipeline.spark.SparkApplicationSpec;
import dev.pulse.operator.pipeline.spark.sparkapplicationspec.Driver;
import dev.pulse.operator.pipeline.spark.sparkapplicationspec.Executor;
import dev.pulse.operator.pipeline.spark.sparkapplicationspec.RestartPolicy;
import dev.pulse.operator.support.OwnedObjects;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The Spark Structured Streaming job as a SparkApplication for the Kubeflow Spark operator (>= 2.4: it must know
 * spec.suspend and the pods' template; the pipeline's namespace must be among its spark.jobNamespaces, or nothing
 * ever picks the application up). The job reads its whole configuration from {@code spark.pulse.*} keys of sparkConf
 * (the contract with the Spark job's SentimentStreamingJob, listed in operator/DESIGN.md). Nothing depends on
 * spark-operator's mutating webhook, which acts only in its jobNamespaces and only when enabled: volumes, mounts, the
 * Qdrant key's environment variable and the security contexts are in the driver's and executors' pod templates,
 * which spark-submit itself applies, and metrics come from Spark's own Prometheus servlet instead of a JMX agent.
 */
public final class SparkApplications {

  public static final String MAIN_CLASS = "dev.pulse.spark.SentimentStreamingJob";
  /** The job's jar in the Spark job image (spark-job/pom.xml puts it there; the image runs its exploded classes). */
  public static final String MAIN_APPLICATION_FILE = "local:///opt/pulse/lib/pulse-spark-job.jar";
  /** Spark's own Prometheus endpoints on the driver's UI port: its metrics, and every executor's. */
  public static final String METRICS_PATH = "/metrics/prometheus";
  public static final int UI_PORT = 4040;
  static final String CHECKPOINT_MOUNT = "/checkpoints";
  private static final ObjectMapper JSON = new ObjectMapper();

  private SparkApplications() {}

  /** Where checkpoints go: spec.spark.checkpointLocation, or a PVC of the operator's at file:///checkpoints/&lt;name&gt;. */
  public static String checkpointLocation(SentimentPipeline p) {
    return Optional.ofNullable(spark(p).getCheckpointLocation())
        .orElse("file://" + CHECKPOINT_MOUNT + "/" + p.getMetadata().getName());
  }

  /** True when the operator provides the checkpoint volume (no explicit location was given). */
  public static boolean usesCheckpointClaim(SentimentPipeline p) {
    return spark(p).getCheckpointLocation() == null;
  }

  /**
   * The PVC behind the default checkpoint location, as spec.spark.checkpointVolume asks: by default ReadWriteMany
   * (the driver writes offsets, the executors write state, from any node), 10Gi, the default StorageClass.
   */
  public static PersistentVolumeClaim checkpointClaim(SentimentPipeline p) {
    SparkSpec.CheckpointVolume v = or(spark(p).getCheckpointVolume(), SparkSpec.CheckpointVolume::new);
    return new PersistentVolumeClaimBuilder()
        .withMetadata(OwnedObjects.metadata(p, PipelineNames.checkpointClaim(p), PipelineNames.SPARK))
        .withNewSpec()
          .withAccessModes(or(v.getAccessMode(), SparkSpec.CheckpointVolume.AccessMode.ReadWriteMany).name())
          .withStorageClassName(v.getStorageClassName())
          .withNewResources().withRequests(Map.of("storage", new Quantity(or(v.getSize(), "10Gi")))).endResources()
        .endSpec()
        .build();
  }

  public static SparkApplication desired(SentimentPipeline p, RenderInputs inputs) {
    SparkSpec s = spark(p);
    SparkApplicationSpec spec = new SparkApplicationSpec();
    spec.setType(SparkApplicationSpec.Type.JAVA);
    spec.setMode(SparkApplicationSpec.Mode.CLUSTER);
    spec.setImage(or(s.getImage(), inputs.images().sparkJob()));
    spec.setImagePullPolicy("IfNotPresent");
    spec.setMainClass(MAIN_CLASS);
    spec.setMainApplicationFile(MAIN_APPLICATION_FILE);
    spec.setSparkVersion(or(s.getSparkVersion(), "4.1.1"));
    spec.setSparkConf(sparkConf(p, inputs));
    spec.setRestartPolicy(restartPolicy(or(s.getRestartPolicy(), SparkSpec.RestartPolicy.Always)));
    // The Spark operator deletes the driver and executors of a suspended application; checkpoints stay. Without
    // a single feed there is nothing to read, so the job waits suspended instead of failing in a restart loop.
    spec.setSuspend(PipelineDefaults.suspended(p) || inputs.feedTopics().isEmpty() ? Boolean.TRUE : null);

    // The upstream model has no common type for the driver and the executor: each gets the same settings.
    PodSettings driverPod = PodSettings.of(p, driver(p), "driver");
    Driver driver = new Driver();
    driver.setCores(driverPod.cores());
    driver.setCoreRequest(driverPod.coreRequest());
    driver.setCoreLimit(driverPod.coreLimit());
    driver.setMemory(driverPod.memory());
    driver.setLabels(driverPod.labels());
    driver.setServiceAccount(driverPod.serviceAccount());
    driver.setTemplate(driverPod.template());
    spec.setDriver(driver);

    PodSettings executorPod = PodSettings.of(p, executor(p), "executor");
    Executor executor = new Executor();
    executor.setCores(executorPod.cores());
    executor.setCoreRequest(executorPod.coreRequest());
    executor.setCoreLimit(executorPod.coreLimit());
    executor.setMemory(executorPod.memory());
    executor.setLabels(executorPod.labels());
    executor.setServiceAccount(executorPod.serviceAccount());
    executor.setTemplate(executorPod.template());
    executor.setInstances(executorInstances(p, inputs));
    spec.setExecutor(executor);

    SparkApplication app = new SparkApplication();
    app.setMetadata(OwnedObjects.metadata(p, PipelineNames.sparkApplication(p), PipelineNames.SPARK));
    app.setSpec(spec);
    return app;
  }

  /**
   * Executors to ask for. Real-time mode holds one task slot per feed-topic partition for the whole checkpoint
   * interval, and the aggregates query needs a slot beside them, so with too few slots the scoring path never
   * starts: there the count is raised to what the partitions need, never lowered.
   */
  public static int executorInstances(SentimentPipeline p, RenderInputs inputs) {
    int asked = or(executor(p).getInstances(), 2);
    if (!realTime(p)) return asked;
    int cores = or(executor(p).getCores(), 1);
    int slots = inputs.feedPartitions() + 1;
    // Never past what the CRD lets a user ask for: thousands of feed partitions must not ask for thousands of pods.
    return Math.max(asked, Math.min(MAX_EXECUTORS, (slots + cores - 1) / cores));
  }

  /** spec.spark.executor.instances' CRD maximum, also the most the real-time raise asks for. */
  public static final int MAX_EXECUTORS = 500;

  public static boolean realTime(SentimentPipeline p) {
    SparkSpec.TriggerMode mode = spark(p).getTriggerMode();
    return (mode == null ? SparkJobOptions.TRIGGER_MODE.defaultValue() : TriggerMode.valueOf(mode.name()))
        == TriggerMode.RealTime;
  }

  /**
   * Everything the job needs to know, as spark.pulse.* keys (strings, as sparkConf requires), written through the
   * typed settings the job reads them with ({@link SparkJobOptions}: key, type, default and check in one place).
   */
  static Map<String, String> sparkConf(SentimentPipeline p, RenderInputs inputs) {
    SparkSpec s = spark(p);
    CrisisRule crisis = crisis(p);
    VectorStoreSpec v = PipelineDefaults.vectorStore(p);
    Map<String, String> conf = new LinkedHashMap<>();
    SparkJobOptions.PIPELINE.write(conf, p.getMetadata().getName());
    SparkJobOptions.NAMESPACE.write(conf, p.getMetadata().getNamespace());
    SparkJobOptions.BOOTSTRAP_SERVERS.write(conf, PipelineDefaults.bootstrapServers(p));
    SparkJobOptions.INPUT_TOPICS.write(conf, inputs.feedTopics());
    SparkJobOptions.SCORED_TOPIC.write(conf, PipelineNames.topic(p, OutputTopics.Kind.SCORED));
    SparkJobOptions.AGGREGATES_TOPIC.write(conf, PipelineNames.topic(p, OutputTopics.Kind.AGGREGATES));
    SparkJobOptions.ALERTS_TOPIC.write(conf, PipelineNames.topic(p, OutputTopics.Kind.ALERTS));
    SparkJobOptions.DEAD_LETTER_TOPIC.write(conf, PipelineNames.topic(p, OutputTopics.Kind.DEAD_LETTERS));
    SparkJobOptions.TRIGGER_INTERVAL.writeText(conf, s.getTriggerInterval());
    SparkJobOptions.CHECKPOINT_INTERVAL.writeText(conf, s.getCheckpointInterval());
    SparkJobOptions.TRIGGER_MODE.write(conf, s.getTriggerMode() == null ? null
        : TriggerMode.valueOf(s.getTriggerMode().name()));
    SparkJobOptions.WATERMARK.writeText(conf, s.getWatermark());
    SparkJobOptions.CHECKPOINT_LOCATION.write(conf, checkpointLocation(p));
    conf.put("spark.sql.streaming.checkpointLocation", checkpointLocation(p));
    ScoringSpec.Tier tier = scoring(p).getTier();
    SparkJobOptions.SCORING_TIER.write(conf, tier == null ? null : ScoringTier.valueOf(tier.name()));
    SparkJobOptions.ESCALATION_THRESHOLD.write(conf, scoring(p).getEscalationThreshold());
    SparkJobOptions.CRISIS_WINDOW.writeText(conf, crisis.getWindow());
    SparkJobOptions.CRISIS_MIN_VOLUME.write(conf, crisis.getMinVolume() == null ? null
        : crisis.getMinVolume().longValue());
    SparkJobOptions.CRISIS_NEGATIVE_RATIO.write(conf, crisis.getNegativeRatio());
    SparkJobOptions.CRISIS_SPIKE_FACTOR.write(conf, crisis.getSpikeFactor());
    if (scoring(p).getGlossary() != null) {
      SparkJobOptions.GLOSSARY.write(conf, json(scoring(p).getGlossary()));
    }
    if (PipelineDefaults.llm(p) != null) {
      SparkJobOptions.LLM_GATEWAY_URL.write(conf, PipelineNames.gatewayUrl(p));
      SparkJobOptions.LLM_TIMEOUT.writeText(conf, PipelineDefaults.llm(p).getTimeout());
    }
    if (v != null) {
      SparkJobOptions.QDRANT_HOST.write(conf, v.getHost());
      SparkJobOptions.QDRANT_PORT.write(conf, PipelineDefaults.grpcPort(v));
      SparkJobOptions.QDRANT_TLS.write(conf, Boolean.TRUE.equals(v.getTls()));
      SparkJobOptions.QDRANT_COLLECTION.write(conf, v.getCollection());
    } else {
      // No spec.vectorStore: the job scores and aggregates but embeds and stores nothing (its "none" sink).
      SparkJobOptions.VECTOR_STORE.write(conf, VectorStoreKind.none);
    }
    // Spark's own Prometheus endpoints on the driver's UI (no JMX agent, no config file to mount): the driver's
    // metrics at /metrics/prometheus, the executors' at /metrics/executors/prometheus.
    conf.put("spark.ui.prometheus.enabled", "true");
    conf.put("spark.metrics.conf.*.sink.prometheusServlet.class", "org.apache.spark.metrics.sink.PrometheusServlet");
    conf.put("spark.metrics.conf.*.sink.prometheusServlet.path", METRICS_PATH);
    conf.put("spark.kubernetes.driver.service.deleteOnTermination", "true");
    return conf;
  }

  private static RestartPolicy restartPolicy(SparkSpec.RestartPolicy type) {
    RestartPolicy policy = new RestartPolicy();
    policy.setType(switch (type) {
      case Never -> RestartPolicy.Type.NEVER;
      case Always -> RestartPolicy.Type.ALWAYS;
      case OnFailure -> RestartPolicy.Type.ONFAILURE;
    });
    if (type != SparkSpec.RestartPolicy.Never) {
      // A streaming job restarts from its checkpoint; retries are spaced so a broken dependency is not hammered.
      // Always (the default) restarts for as long as the pipeline exists; OnFailure gives up after 10 failures
      // counted over the application's whole life, so a 24/7 stream would end FAILED for good.
      policy.setOnFailureRetries(type == SparkSpec.RestartPolicy.OnFailure ? 10 : null);
      policy.setOnFailureRetryInterval(30L);
      policy.setOnSubmissionFailureRetries(5);
      policy.setOnSubmissionFailureRetryInterval(60L);
    }
    return policy;
  }

  /**
   * What the driver and the executors are given alike: size (Spark sets the memory limit to the request; CPU gets an
   * explicit limit here), labels, service account, pod template.
   */
  private record PodSettings(int cores, String coreRequest, String coreLimit, String memory,
                             Map<String, String> labels, String serviceAccount, PodTemplateSpec template) {
    static PodSettings of(SentimentPipeline p, PodSize size, String role) {
      int cores = or(size.getCores(), 1);
      Map<String, String> labels = new LinkedHashMap<>(OwnedObjects.labels(p, PipelineNames.SPARK));
      labels.put("pulse.dev/spark-role", role);
      return new PodSettings(cores, or(size.getCoreRequest(), String.valueOf(cores)), String.valueOf(cores),
          or(size.getMemory(), "2g"), labels, SparkServiceAccount.name(p), SparkApplications.template(p, role));
    }
  }

  /**
   * The pod template spark-submit applies to the driver or executor pod: the restricted security context, the
   * writable places of a read-only root file system (/tmp, Spark's work dir), the checkpoint claim, the Qdrant key.
   * Spark keeps the template's first container and adds its own settings to it.
   */
  static PodTemplateSpec template(SentimentPipeline p, String role) {
    List<EnvVar> env = new ArrayList<>();
    VectorStoreSpec v = PipelineDefaults.vectorStore(p);
    if (v != null && v.getApiKeySecret() != null) {
      env.add(Pods.secretEnv("PULSE_QDRANT_API_KEY", v.getApiKeySecret(), "api-key"));
    }
    LlmGateway.tokenEnv(p).ifPresent(env::add); // escalation runs in the executors
    env.addAll(PipelineKafkaEnv.env(p)); // Kafka TLS/SASL (spec.kafka.security)
    List<VolumeMount> mounts = new ArrayList<>();
    mounts.add(Pods.mount("tmp", "/tmp"));
    mounts.add(Pods.mount("work", "/opt/spark/work-dir"));
    List<Volume> volumes = new ArrayList<>();
    volumes.add(Pods.emptyDir("tmp", "20Gi"));
    volumes.add(Pods.emptyDir("work", "1Gi"));
    if (usesCheckpointClaim(p)) {
      mounts.add(Pods.mount("checkpoints", CHECKPOINT_MOUNT));
      volumes.add(new VolumeBuilder().withName("checkpoints")
          .withNewPersistentVolumeClaim(PipelineNames.checkpointClaim(p), false).build());
    }
    return new PodTemplateSpecBuilder()
        .withNewSpec()
          .withSecurityContext(OwnedObjects.restrictedPod())
          .addNewContainer()
            .withName("spark-kubernetes-" + role)
            .withEnv(SparkDriver.withMetrics(p, env))
            .addNewPort().withName("metrics").withContainerPort(SparkDriver.METRICS_PORT).endPort()
            .withVolumeMounts(mounts)
            .withSecurityContext(OwnedObjects.restrictedContainer())
          .endContainer()
          .withVolumes(volumes)
        .endSpec()
        .build();
  }

  private static String json(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
