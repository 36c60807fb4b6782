package dev.pulse.operator.pipeline;

import static dev.pulse.operator.pipeline.PipelineDefaults.or;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pulse.crd.v1alpha1.SentimentPipeline;
import dev.pulse.crd.v1alpha1.pipeline.PodSize;
import dev.pulse.crd.v1alpha1.pipeline.VectorStoreSpec;
import dev.pulse.operator.metrics.PodTracing;
import dev.pulse.operator.support.OwnedNames;
import dev.pulse.operator.support.OwnedObjects;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;

/**
 * Launcher Native: the Pulse operator runs the Spark driver itself, the way Spark's own Kubernetes support runs a
 * client-mode driver inside the cluster. A Deployment of one pod (Recreate: two drivers must never write one
 * checkpoint) runs the Spark job image's main class with {@code spark.master=k8s://https://kubernetes.default.svc};
 * Spark's Kubernetes scheduler backend in that driver creates the executor pods (same image, argument
 * {@code executor}) from the pod template in the ConfigMap, owned by the driver pod, so a lost driver takes its
 * executors with it and its replacement starts fresh ones from the checkpoint. A headless Service gives the driver
 * a stable name for the executors to call back. The driver's ServiceAccount ({@link SparkServiceAccount}) may manage
 * pods, services, config maps and claims in the pipeline's namespace only. Pure functions of the pipeline.
 */
public final class SparkDriver {

  public static final String ROLE_LABEL = "pulse.dev/spark-role";
  public static final String DRIVER_ROLE = "driver";
  public static final String EXECUTOR_ROLE = "executor";
  /** The conf's hash on the driver's pod template: a conf change rolls the driver. */
  public static final String CONF_HASH_ANNOTATION = "pulse.dev/spark-conf-hash";
  public static final String MASTER = "k8s://https://kubernetes.default.svc";
  public static final int DRIVER_PORT = 7078;
  public static final int BLOCK_MANAGER_PORT = 7079;
  public static final int UI_PORT = 4040;
  /**
   * The stream core's meters ({@code pulse_posts_scored_total}, {@code pulse_dead_letters_total}, ...) on /metrics,
   * served by every Spark JVM that sets PULSE_METRICS_PORT: the driver (aggregates, alerts, lost offsets) and each
   * executor (scoring, escalation, routing), since the steps count where Spark runs them. Port name {@code metrics},
   * as the ingesters'.
   */
  public static final int METRICS_PORT = 9404;
  static final String SHUFFLE_PARTITIONS = "spark.sql.shuffle.partitions";
  static final String CONF_DIR = "/etc/pulse/spark";
  static final String CONF_FILE = "spark-conf.json";
  static final String EXECUTOR_TEMPLATE = "executor-pod.yaml";
  private static final String SA_CA = "/var/run/secrets/kubernetes.io/serviceaccount/ca.crt";
  private static final ObjectMapper JSON = new ObjectMapper();

  private SparkDriver() {}

  public static String name(SentimentPipeline p) { return OwnedNames.child(p.getMetadata().getName(), "spark-driver"); }

  public static String confName(SentimentPipeline p) { return OwnedNames.child(p.getMetadata().getName(), "spark-conf"); }

  /** The conf map, the headless Service and the driver Deployment, in that order. */
  public static List<HasMetadata> desired(SentimentPipeline p, RenderInputs inputs) {
    ConfigMap conf = configMap(p, inputs);
    return List.of(conf, service(p), deployment(p, inputs, conf));
  }

  /** Driver pods run while the pipeline runs and reads at least one feed; suspended, there are none. */
  public static int replicas(SentimentPipeline p, RenderInputs inputs) {
    return PipelineDefaults.suspended(p) || inputs.feedTopics().isEmpty() ? 0 : 1;
  }

  static Map<String, String> podLabels(SentimentPipeline p, String role) {
    Map<String, String> labels = new LinkedHashMap<>(OwnedObjects.labels(p, PipelineNames.SPARK));
    labels.put(ROLE_LABEL, role);
    return labels;
  }

  /** Selects the pipeline's driver pods only (executors carry the same Pulse labels with another role). */
  public static Map<String, String> driverSelector(SentimentPipeline p) {
    Map<String, String> selector = new LinkedHashMap<>(OwnedObjects.selector(p, PipelineNames.SPARK));
    selector.put(ROLE_LABEL, DRIVER_ROLE);
    return selector;
  }

  /** The whole Spark conf: the job's spark.pulse.* keys ({@link SparkApplications#sparkConf}) and the launch keys. */
  static Map<String, String> sparkConf(SentimentPipeline p, RenderInputs inputs) {
    String ns = p.getMetadata().getNamespace();
    PodSize executor = PipelineDefaults.executor(p);
    int cores = or(executor.getCores(), 1);
    Map<String, String> conf = new LinkedHashMap<>();
    conf.put("spark.master", MASTER);
    conf.put("spark.submit.deployMode", "client");
    conf.put("spark.app.name", p.getMetadata().getName());
    conf.put("spark.kubernetes.namespace", ns);
    conf.put("spark.kubernetes.authenticate.caCertFile", SA_CA);
    conf.put("spark.kubernetes.container.image", image(p, inputs));
    conf.put("spark.kubernetes.container.image.pullPolicy", "IfNotPresent");
    // Executors call the driver back by the headless Service's name, on fixed ports the Service lists.
    conf.put("spark.driver.host", name(p) + "." + ns + ".svc");
    conf.put("spark.driver.bindAddress", "0.0.0.0");
    conf.put("spark.driver.port", String.valueOf(DRIVER_PORT));
    conf.put("spark.driver.blockManager.port", String.valueOf(BLOCK_MANAGER_PORT));
    conf.put("spark.ui.port", String.valueOf(UI_PORT));
    int instances = SparkApplications.executorInstances(p, inputs);
    conf.put("spark.executor.instances", String.valueOf(instances));
    conf.put("spark.executor.cores", String.valueOf(cores));
    // One shuffle partition per executor task slot, not Spark's default 200: each stateful step (the scored-posts
    // dedup, the aggregates' dedup and windows) runs one task per shuffle partition at every micro-batch, empty or
    // not, each with a state-store commit on the checkpoint volume. On the minimal pipeline's one executor core that
    // made a batch last ~67 s and the job fall behind 2 posts/s (PulseOnClusterIT; spark-job/README.md). A
    // checkpoint keeps the count it started with (Spark reads it back from its offset log).
    conf.put(SHUFFLE_PARTITIONS, String.valueOf(Math.max(1, instances * cores)));
    conf.put("spark.executor.memory", or(executor.getMemory(), "2g"));
    conf.put("spark.kubernetes.executor.request.cores", or(executor.getCoreRequest(), String.valueOf(cores)));
    conf.put("spark.kubernetes.executor.limit.cores", String.valueOf(cores));
    // The image's launcher starts every JVM with $JAVA_OPTS: the executor's heap is what Spark sized its pod for.
    conf.put("spark.executorEnv.JAVA_OPTS", "-Xmx" + or(executor.getMemory(), "2g"));
    conf.put("spark.kubernetes.executor.podTemplateFile", CONF_DIR + "/" + EXECUTOR_TEMPLATE);
    // Executors get their conf from the driver at start-up; no per-application ConfigMap is needed.
    conf.put("spark.kubernetes.executor.disableConfigMap", "true");
    conf.putAll(SparkApplications.sparkConf(p, inputs));
    return conf;
  }

  static String image(SentimentPipeline p, RenderInputs inputs) {
    return or(PipelineDefaults.spark(p).getImage(), inputs.images().sparkJob());
  }

  /** The executors' pod template: Pulse's labels, the restricted security context, /tmp, the checkpoint, the key. */
  static Pod executorTemplate(SentimentPipeline p) {
    List<VolumeMount> mounts = new ArrayList<>();
    mounts.add(Pods.mount("tmp", "/tmp"));
    List<Volume> volumes = new ArrayList<>();
    volumes.add(Pods.emptyDir("tmp", "20Gi"));
    if (SparkApplications.usesCheckpointClaim(p)) {
      mounts.add(Pods.mount("checkpoints", SparkApplications.CHECKPOINT_MOUNT));
      volumes.add(checkpointVolume(p));
    }
    return new PodBuilder()
        .withNewMetadata().withLabels(podLabels(p, EXECUTOR_ROLE)).endMetadata()
        .withNewSpec()
          .withSecurityContext(OwnedObjects.restrictedPod())
          .withServiceAccountName(SparkServiceAccount.name(p))
          .withContainers(new ContainerBuilder()
              .withName("executor")
              .withEnv(withMetrics(p, secretEnv(p)))
              .addNewPort().withName("metrics").withContainerPort(METRICS_PORT).endPort()
              .withVolumeMounts(mounts)
              .withSecurityContext(OwnedObjects.restrictedContainer())
              .build())
          .withVolumes(volumes)
        .endSpec()
        .build();
  }

  static ConfigMap configMap(SentimentPipeline p, RenderInputs inputs) {
    Map<String, String> data = new LinkedHashMap<>();
    data.put(CONF_FILE, json(sparkConf(p, inputs)));
    data.put(EXECUTOR_TEMPLATE, Serialization.asYaml(executorTemplate(p)));
    return new ConfigMapBuilder()
        .withMetadata(OwnedObjects.metadata(p, confName(p), PipelineNames.SPARK))
        .withData(data)
        .build();
  }

  static Service service(SentimentPipeline p) {
    return new ServiceBuilder()
        .withMetadata(OwnedObjects.metadata(p, name(p), PipelineNames.SPARK))
        .withNewSpec()
          .withClusterIP("None")
          // The name must resolve while the driver starts, before any readiness: executors call back at once.
          .withPublishNotReadyAddresses(true)
          .withSelector(driverSelector(p))
          .addNewPort().withName("driver-rpc").withPort(DRIVER_PORT).withTargetPort(new IntOrString(DRIVER_PORT)).endPort()
          .addNewPort().withName("blockmanager").withPort(BLOCK_MANAGER_PORT)
              .withTargetPort(new IntOrString(BLOCK_MANAGER_PORT)).endPort()
          .addNewPort().withName("ui").withPort(UI_PORT).withTargetPort(new IntOrString(UI_PORT)).endPort()
        .endSpec()
        .build();
  }

  static Deployment deployment(SentimentPipeline p, RenderInputs inputs, ConfigMap conf) {
    PodSize driver = PipelineDefaults.driver(p);
    String heap = or(driver.getMemory(), "2g");
    String podMemory = podMemoryMi(heap) + "Mi";
    int cores = or(driver.getCores(), 1);
    List<EnvVar> env = new ArrayList<>();
    env.add(Pods.env("PULSE_SPARK_CONF_FILE", CONF_DIR + "/" + CONF_FILE));
    env.add(new EnvVarBuilder().withName("PULSE_POD_NAME")
        .withNewValueFrom().withNewFieldRef().withFieldPath("metadata.name").endFieldRef().endValueFrom().build());
    env.add(Pods.env("JAVA_OPTS", "-Xmx" + heap));
    env.addAll(withMetrics(p, secretEnv(p)));
    List<VolumeMount> mounts = new ArrayList<>();
    mounts.add(Pods.mount("tmp", "/tmp"));
    mounts.add(new io.fabric8.kubernetes.api.model.VolumeMountBuilder().withName("conf").withMountPath(CONF_DIR)
        .withReadOnly(true).build());
    List<Volume> volumes = new ArrayList<>();
    volumes.add(Pods.emptyDir("tmp", "20Gi"));
    volumes.add(new VolumeBuilder().withName("conf").withNewConfigMap().withName(confName(p)).endConfigMap().build());
    if (SparkApplications.usesCheckpointClaim(p)) {
      mounts.add(Pods.mount("checkpoints", SparkApplications.CHECKPOINT_MOUNT));
      volumes.add(checkpointVolume(p));
    }
    Map<String, String> annotations = Map.of(CONF_HASH_ANNOTATION, OwnedNames.shortHash(String.join("\n",
        conf.getData().values()), 16));
    return new DeploymentBuilder()
        .withMetadata(OwnedObjects.metadata(p, name(p), PipelineNames.SPARK))
        .withNewSpec()
          .withReplicas(replicas(p, inputs))
          // Never two drivers on one checkpoint: the old pod is gone before the new one starts.
          .withNewStrategy().withType("Recreate").endStrategy()
          .withNewSelector().withMatchLabels(driverSelector(p)).endSelector()
          .withNewTemplate()
            .withNewMetadata().withLabels(podLabels(p, DRIVER_ROLE)).withAnnotations(annotations).endMetadata()
            .withNewSpec()
              .withSecurityContext(OwnedObjects.restrictedPod())
              .withServiceAccountName(SparkServiceAccount.name(p))
              .withContainers(new ContainerBuilder()
                  .withName("driver")
                  .withImage(image(p, inputs))
                  .withImagePullPolicy("IfNotPresent")
                  .addNewPort().withName("driver-rpc").withContainerPort(DRIVER_PORT).endPort()
                  .addNewPort().withName("blockmanager").withContainerPort(BLOCK_MANAGER_PORT).endPort()
                  .addNewPort().withName("ui").withContainerPort(UI_PORT).endPort()
                  .addNewPort().withName("metrics").withContainerPort(METRICS_PORT).endPort()
                  .withEnv(env)
                  .withVolumeMounts(mounts)
                  .withResources(new ResourceRequirementsBuilder()
                      .withRequests(Map.of("cpu", new Quantity(or(driver.getCoreRequest(), String.valueOf(cores))),
                          "memory", new Quantity(podMemory)))
                      .withLimits(Map.of("cpu", new Quantity(String.valueOf(cores)), "memory", new Quantity(podMemory)))
                      .build())
                  .withSecurityContext(OwnedObjects.restrictedContainer())
                  .build())
              .withVolumes(volumes)
            .endSpec()
          .endTemplate()
        .endSpec()
        .build();
  }

  /** Heap plus Spark's own overhead rule for its pods: 10 % of the heap, at least 384 MiB. */
  static long podMemoryMi(String heap) {
    Matcher m = java.util.regex.Pattern.compile("^([0-9]+)([kmgt])$").matcher(heap);
    if (!m.matches()) {
      throw new IllegalArgumentException("not a JVM memory size: " + heap);
    }
    long n = Long.parseLong(m.group(1));
    long mi = switch (m.group(2)) {
      case "k" -> Math.max(1, n / 1024);
      case "m" -> n;
      case "g" -> n * 1024;
      default -> n * 1024 * 1024;
    };
    return mi + Math.max(384, mi / 10);
  }

  private static Volume checkpointVolume(SentimentPipeline p) {
    return new VolumeBuilder().withName("checkpoints")
        .withNewPersistentVolumeClaim(PipelineNames.checkpointClaim(p), false).build();
  }

  /**
   * {@code env}, PULSE_METRICS_PORT (the JVM serves the stream core's meters on {@link #METRICS_PORT}) and the
   * tracing settings ({@link PodTracing}).
   */
  static List<EnvVar> withMetrics(SentimentPipeline p, List<EnvVar> env) {
    List<EnvVar> out = new ArrayList<>(env);
    out.add(Pods.env("PULSE_METRICS_PORT", String.valueOf(METRICS_PORT)));
    out.addAll(PodTracing.env(p));
    return out;
  }

  private static List<EnvVar> secretEnv(SentimentPipeline p) {
    VectorStoreSpec v = PipelineDefaults.vectorStore(p);
    List<EnvVar> env = new ArrayList<>();
    if (v != null && v.getApiKeySecret() != null) {
      env.add(Pods.secretEnv("PULSE_QDRANT_API_KEY", v.getApiKeySecret(), "api-key"));
    }
    LlmGateway.tokenEnv(p).ifPresent(env::add); // escalation runs in the executors
    env.addAll(PipelineKafkaEnv.env(p)); // the driver's Admin clients; the executors' Kafka source and sink
    return env;
  }

  private static String json(Map<String, String> conf) {
    try {
      return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(conf);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
