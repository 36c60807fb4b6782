package dev.pulse.operator.feed;

import dev.pulse.crd.v1alpha1.SourceFeed;
import dev.pulse.crd.v1alpha1.SourceFeedSpec;
import dev.pulse.crd.v1alpha1.feed.FeedKafka;
import dev.pulse.operator.kafka.TopicRequest;
import dev.pulse.operator.support.FeedTopics;
import dev.pulse.operator.support.GoDuration;
import dev.pulse.operator.support.OwnedNames;
import dev.pulse.operator.support.OwnedObjects;
import dev.pulse.operator.support.PulseImages;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.strimzi.api.kafka.model.topic.KafkaTopic;
import io.strimzi.api.kafka.model.topic.KafkaTopicBuilder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a SourceFeed becomes, as a pure function of its spec: a Strimzi KafkaTopic (when the feed names a Strimzi
 * cluster), the ingester's ConfigMap, its Deployment and its metrics Service. The reconciler applies these;
 * {@code pulse render} prints them. With {@code kafka.bootstrapServers} the topic is no Kubernetes object: the
 * reconciler makes it through the Kafka Admin API from {@link #topicRequest}.
 */
public final class SourceFeedObjects {

  public static final String COMPONENT = "ingester";
  public static final String STRIMZI_CLUSTER_LABEL = "strimzi.io/cluster";
  public static final String CONFIG_HASH_ANNOTATION = "pulse.dev/config-hash";
  public static final String REDDIT_CLIENT_ID = "REDDIT_CLIENT_ID";
  public static final String REDDIT_CLIENT_SECRET = "REDDIT_CLIENT_SECRET";
  public static final String X_BEARER_TOKEN = "X_BEARER_TOKEN";

  private SourceFeedObjects() {}

  /** The desired objects, in apply order: topic (Strimzi only), config, ingester, metrics Service. */
  public static List<HasMetadata> desired(SourceFeed feed, PulseImages images) {
    List<HasMetadata> objects = new ArrayList<>();
    if (usesStrimzi(feed)) {
      objects.add(topic(feed));
    }
    objects.addAll(List.of(config(feed), ingester(feed, images), metricsService(feed)));
    return objects;
  }

  /** True when the feed names a Strimzi cluster (a KafkaTopic); false with kafka.bootstrapServers (Admin API). */
  public static boolean usesStrimzi(SourceFeed feed) {
    return feed.getSpec().getKafka().getClusterName() != null;
  }

  /** The feed's topic for a Kafka without Strimzi: the same partitions, replicas and retention as its KafkaTopic. */
  public static TopicRequest topicRequest(SourceFeed feed) {
    FeedKafka kafka = feed.getSpec().getKafka();
    return new TopicRequest(FeedTopics.topicFor(feed), FeedTopics.partitionsFor(feed), replicas(kafka),
        Map.of("retention.ms", String.valueOf(retentionMs(kafka))));
  }

  private static int replicas(FeedKafka kafka) {
    return kafka.getReplicas() == null ? 3 : kafka.getReplicas();
  }

  private static long retentionMs(FeedKafka kafka) {
    return GoDuration.parse(kafka.getRetention() == null ? "168h" : kafka.getRetention()).toMillis();
  }

  /** Name shared by the ingester's ConfigMap, Deployment and Service. */
  public static String ingesterName(SourceFeed feed) {
    return OwnedNames.child(feed.getMetadata().getName(), COMPONENT);
  }

  public static KafkaTopic topic(SourceFeed feed) {
    FeedKafka kafka = feed.getSpec().getKafka();
    Map<String, String> labels = new LinkedHashMap<>(OwnedObjects.labels(feed, "topic"));
    labels.put(STRIMZI_CLUSTER_LABEL, kafka.getClusterName());
    Map<String, Object> config = new LinkedHashMap<>();
    config.put("retention.ms", retentionMs(kafka));
    // The KafkaTopic is named after the topic, so Strimzi needs no spec.topicName.
    return new KafkaTopicBuilder()
        .withMetadata(OwnedObjects.metadata(feed, FeedTopics.topicFor(feed), "topic"))
        .editMetadata().withLabels(labels).endMetadata()
        .withNewSpec()
          .withPartitions(FeedTopics.partitionsFor(feed))
          .withReplicas(replicas(kafka))
          .withConfig(config)
        .endSpec()
        .build();
  }

  public static ConfigMap config(SourceFeed feed) {
    return new ConfigMapBuilder()
        .withMetadata(OwnedObjects.metadata(feed, ingesterName(feed), COMPONENT))
        .withData(Map.of(IngesterConfig.FILE_NAME, IngesterConfig.yaml(feed)))
        .build();
  }

  public static boolean suspended(SourceFeed feed) {
    return Boolean.TRUE.equals(feed.getSpec().getSuspend());
  }

  public static Deployment ingester(SourceFeed feed, PulseImages images) {
    String name = ingesterName(feed);
    // A changed config rolls the pod: the hash is part of the pod template.
    String configHash = OwnedNames.shortHash(IngesterConfig.yaml(feed), 16);
    return new DeploymentBuilder()
        .withMetadata(OwnedObjects.metadata(feed, name, COMPONENT))
        .withNewSpec()
          .withReplicas(suspended(feed) ? 0 : 1)
          // One ingester per feed writes the cursor; two at once would send every post twice.
          .withNewStrategy().withType("Recreate").endStrategy()
          .withRevisionHistoryLimit(3)
          .withNewSelector().withMatchLabels(OwnedObjects.selector(feed, COMPONENT)).endSelector()
          .withNewTemplate()
            .withNewMetadata()
              .withLabels(OwnedObjects.labels(feed, COMPONENT))
              .withAnnotations(Map.of(CONFIG_HASH_ANNOTATION, configHash))
            .endMetadata()
            .withNewSpec()
              .withAutomountServiceAccountToken(false)
              .withEnableServiceLinks(false)
              .withSecurityContext(OwnedObjects.restrictedPod())
              .withTerminationGracePeriodSeconds(40L) // the ingester flushes and checkpoints within 30 s
              .withContainers(container(feed, images))
              .withVolumes(volumes(feed))
            .endSpec()
          .endTemplate()
        .endSpec()
        .build();
  }

  public static Service metricsService(SourceFeed feed) {
    return new ServiceBuilder()
        .withMetadata(OwnedObjects.metadata(feed, ingesterName(feed), COMPONENT))
        .withNewSpec()
          .withType("ClusterIP")
          .withSelector(OwnedObjects.selector(feed, COMPONENT))
          .addNewPort()
            .withName("metrics")
            .withPort(IngesterConfig.METRICS_PORT)
            .withTargetPort(new IntOrString("metrics"))
            .withProtocol("TCP")
          .endPort()
        .endSpec()
        .build();
  }

  private static Container container(SourceFeed feed, PulseImages images) {
    return new ContainerBuilder()
        .withName(COMPONENT)
        .withImage(images.ingester())
        .withImagePullPolicy("IfNotPresent")
        .withCommand("pulse")
        .withArgs("ingest", "--config", IngesterConfig.CONFIG_DIR + "/" + IngesterConfig.FILE_NAME)
        .withEnv(env(feed))
        .addNewPort().withName("metrics").withContainerPort(IngesterConfig.METRICS_PORT).withProtocol("TCP").endPort()
        .withNewResources()
          .withRequests(cpuAndMemory("100m", "256Mi"))
          .withLimits(cpuAndMemory("1", "512Mi"))
        .endResources()
        .withLivenessProbe(healthProbe(30, 6))
        .withReadinessProbe(healthProbe(10, 3))
        .withSecurityContext(OwnedObjects.restrictedContainer())
        .withVolumeMounts(mounts(feed))
        .build();
  }

  /** Ordered, so rendered YAML is the same on every run. */
  private static Map<String, Quantity> cpuAndMemory(String cpu, String memory) {
    Map<String, Quantity> amounts = new LinkedHashMap<>();
    amounts.put("cpu", new Quantity(cpu));
    amounts.put("memory", new Quantity(memory));
    return amounts;
  }

  private static Probe healthProbe(int periodSeconds, int failureThreshold) {
    return new ProbeBuilder()
        .withNewHttpGet().withPath("/healthz").withPort(new IntOrString("metrics")).endHttpGet()
        .withInitialDelaySeconds(5)
        .withPeriodSeconds(periodSeconds)
        .withTimeoutSeconds(3)
        .withFailureThreshold(failureThreshold)
        .build();
  }

  /** Credentials only as secretKeyRefs: the operator never reads or copies a Secret's value. */
  static List<EnvVar> env(SourceFeed feed) {
    SourceFeedSpec spec = feed.getSpec();
    List<EnvVar> env = new ArrayList<>();
    env.add(new EnvVarBuilder().withName("JAVA_TOOL_OPTIONS")
        .withValue("-XX:MaxRAMPercentage=75 -Djava.io.tmpdir=/tmp").build());
    switch (spec.getType()) {
      case REDDIT -> {
        var credentials = spec.getReddit().getCredentials();
        env.add(secretEnv(REDDIT_CLIENT_ID, credentials.getSecretName(), redditClientIdKey(feed)));
        env.add(secretEnv(REDDIT_CLIENT_SECRET, credentials.getSecretName(), redditClientSecretKey(feed)));
      }
      case X -> env.add(secretEnv(X_BEARER_TOKEN, spec.getX().getBearerTokenSecret().getName(), xBearerTokenKey(feed)));
      default -> { }
    }
    return env;
  }

  static String redditClientIdKey(SourceFeed feed) {
    String key = feed.getSpec().getReddit().getCredentials().getClientIdKey();
    return key == null ? "client-id" : key;
  }

  static String redditClientSecretKey(SourceFeed feed) {
    String key = feed.getSpec().getReddit().getCredentials().getClientSecretKey();
    return key == null ? "client-secret" : key;
  }

  static String xBearerTokenKey(SourceFeed feed) {
    return feed.getSpec().getX().getBearerTokenSecret().keyOr("bearer-token");
  }

  private static EnvVar secretEnv(String name, String secret, String key) {
    return new EnvVarBuilder().withName(name)
        .withNewValueFrom().withNewSecretKeyRef().withName(secret).withKey(key).withOptional(false).endSecretKeyRef()
        .endValueFrom().build();
  }

  private static List<VolumeMount> mounts(SourceFeed feed) {
    List<VolumeMount> mounts = new ArrayList<>();
    mounts.add(new VolumeMountBuilder().withName("config").withMountPath(IngesterConfig.CONFIG_DIR).withReadOnly(true).build());
    if (replayConfigMap(feed) != null) {
      mounts.add(new VolumeMountBuilder().withName("replay").withMountPath(IngesterConfig.REPLAY_DIR).withReadOnly(true).build());
    }
    // The root file system is read-only: the cursor and temporary files need writable volumes.
    mounts.add(new VolumeMountBuilder().withName("state").withMountPath(IngesterConfig.STATE_DIR).build());
    mounts.add(new VolumeMountBuilder().withName("tmp").withMountPath("/tmp").build());
    return mounts;
  }

  private static List<Volume> volumes(SourceFeed feed) {
    List<Volume> volumes = new ArrayList<>();
    volumes.add(new VolumeBuilder().withName("config")
        .withNewConfigMap().withName(ingesterName(feed)).endConfigMap().build());
    var replay = replayConfigMap(feed);
    if (replay != null) {
      volumes.add(new VolumeBuilder().withName("replay")
          .withNewConfigMap().withName(replay.getName()).endConfigMap().build());
    }
    volumes.add(new VolumeBuilder().withName("state").withNewEmptyDir().withSizeLimit(new Quantity("64Mi")).endEmptyDir().build());
    volumes.add(new VolumeBuilder().withName("tmp").withNewEmptyDir().withSizeLimit(new Quantity("256Mi")).endEmptyDir().build());
    return volumes;
  }

  static dev.pulse.crd.common.ConfigMapKeyRef replayConfigMap(SourceFeed feed) {
    return feed.getSpec().getType() == SourceFeedSpec.FeedType.REPLAY ? feed.getSpec().getReplay().getConfigMap() : null;
  }
}
