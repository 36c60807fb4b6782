package dev.pulse.operator.feed;

import dev.pulse.crd.v1alpha1.SourceFeed;
import dev.pulse.crd.v1alpha1.SourceFeedSpec;
import dev.pulse.crd.v1alpha1.feed.FeedKafka;
import dev.pulse.operator.kafka.KafkaClientSecurity;
import dev.pulse.operator.kafka.TopicRequest;
import dev.pulse.operator.metrics.PodTracing;
import dev.pulse.operator.support.FeedTopics;
import dev.pulse.contract.Durations;
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
  public static final String KAFKA_SASL_USERNAME = "KAFKA_SASL_USERNAME";
  public static final String KAFKA_SASL_PASSWORD = "KAFKA_SASL_PASSWORD";
  /** Items the ingester cannot send as posts go to the feed's topic name plus this. */
  public static final String DEAD_LETTER_SUFFIX = ".dead-letters";

  private SourceFeedObjects() {}

  /**
   * The desired objects, in apply order: topic and dead-letter topic (Strimzi only), config, ingester, metrics
   * Service.
   */
  public static List<HasMetadata> desired(SourceFeed feed, PulseImages images) {
    List<HasMetadata> objects = new ArrayList<>();
    if (usesStrimzi(feed)) {
      objects.add(topic(feed));
      objects.add(deadLetterKafkaTopic(feed));
    }
    objects.addAll(List.of(config(feed), ingester(feed, images), metricsService(feed)));
    return objects;
  }

  /** True when the feed names a Strimzi cluster (a KafkaTopic); false with kafka.bootstrapServers (Admin API). */
  public static boolean usesStrimzi(SourceFeed feed) {
    return feed.getSpec().getKafka().getClusterName() != null;
  }

  /** The feed's topic for a Kafka without Strimzi: the same partitions, replicas and config as its KafkaTopic. */
  public static TopicRequest topicRequest(SourceFeed feed) {
    FeedKafka kafka = feed.getSpec().getKafka();
    return new TopicRequest(FeedTopics.topicFor(feed), FeedTopics.partitionsFor(feed), replicas(kafka),
        topicConfig(kafka));
  }

  /** The feed's topic and its dead-letter topic, for a Kafka without Strimzi. */
  public static List<TopicRequest> topicRequests(SourceFeed feed) {
    FeedKafka kafka = feed.getSpec().getKafka();
    return List.of(topicRequest(feed),
        new TopicRequest(deadLetterTopic(feed), 1, replicas(kafka), topicConfig(kafka)));
  }

  /**
   * Where the ingester writes what it cannot send as posts (a source item missing a field, a post over the record
   * size limit), with the reason: {@code <topic>.dead-letters}, cut with a hash where the name would pass Kafka's limit.
   */
  public static String deadLetterTopic(SourceFeed feed) {
    return OwnedNames.topic(FeedTopics.topicFor(feed), DEAD_LETTER_SUFFIX);
  }

  /** retention.ms from kafka.retention, then the user's kafka.config as it is (its retention.ms wins). */
  static Map<String, String> topicConfig(FeedKafka kafka) {
    Map<String, String> config = new LinkedHashMap<>();
    config.put("retention.ms", String.valueOf(retentionMs(kafka)));
    if (kafka.getConfig() != null) {
      new java.util.TreeMap<>(kafka.getConfig()).forEach(config::put);
    }
    return config;
  }

  private static int replicas(FeedKafka kafka) {
    return kafka.getReplicas() == null ? 3 : kafka.getReplicas();
  }

  private static long retentionMs(FeedKafka kafka) {
    return Durations.parse(kafka.getRetention() == null ? "168h" : kafka.getRetention()).toMillis();
  }

  /** Name shared by the ingester's ConfigMap, Deployment and Service. */
  public static String ingesterName(SourceFeed feed) {
    return OwnedNames.child(feed.getMetadata().getName(), COMPONENT);
  }

  public static KafkaTopic topic(SourceFeed feed) {
    return kafkaTopic(feed, FeedTopics.topicFor(feed), FeedTopics.partitionsFor(feed), "topic");
  }

  /** The KafkaTopic of the feed's dead-letter topic: one partition (a trickle), the feed's replicas and config. */
  public static KafkaTopic deadLetterKafkaTopic(SourceFeed feed) {
    return kafkaTopic(feed, deadLetterTopic(feed), 1, "dead-letter-topic");
  }

  private static KafkaTopic kafkaTopic(SourceFeed feed, String name, int partitions, String component) {
    FeedKafka kafka = feed.getSpec().getKafka();
    Map<String, String> labels = new LinkedHashMap<>(OwnedObjects.labels(feed, component));
    labels.put(STRIMZI_CLUSTER_LABEL, kafka.getClusterName());
    Map<String, Object> config = new LinkedHashMap<>();
    // retention.ms as a number, as before; the user's own values as strings, as Kafka takes them.
    topicConfig(kafka).forEach((k, v) -> config.put(k, k.equals("retention.ms") && v.matches("-?[0-9]+")
        ? (Object) Long.parseLong(v) : v));
    // The KafkaTopic is named after the topic, so Strimzi needs no spec.topicName.
    return new KafkaTopicBuilder()
        .withMetadata(OwnedObjects.metadata(feed, name, component))
        .editMetadata().withLabels(labels).endMetadata()
        .withNewSpec()
          .withPartitions(partitions)
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
          // A not-ready ingester (no successful poll lately) is exactly the one whose metrics matter.
          .withPublishNotReadyAddresses(true)
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
        // Liveness: the process serves (a restart would not fix a failing source). Readiness: a poll succeeded within
        // spec.staleAfter, so a feed that delivers nothing shows as unavailable.
        .withLivenessProbe(probe("/healthz", 30, 6))
        .withReadinessProbe(probe("/readyz", 10, 1))
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

  private static Probe probe(String path, int periodSeconds, int failureThreshold) {
    return new ProbeBuilder()
        .withNewHttpGet().withPath(path).withPort(new IntOrString("metrics")).endHttpGet()
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
    var sasl = kafkaSasl(feed);
    if (sasl != null) {
      // The user name is no secret (Strimzi's KafkaUser name); the password only as a secretKeyRef.
      env.add(new EnvVarBuilder().withName(KAFKA_SASL_USERNAME).withValue(sasl.getUsername()).build());
      env.add(secretEnv(KAFKA_SASL_PASSWORD, sasl.getPasswordSecret().getName(),
          sasl.getPasswordSecret().keyOr(KafkaClientSecurity.DEFAULT_PASSWORD_KEY)));
    }
    env.addAll(PodTracing.env(feed));
    return env;
  }

  /** The feed's SASL settings, when its Kafka (by bootstrap servers) uses SASL. */
  static dev.pulse.crd.v1alpha1.feed.KafkaSasl kafkaSasl(SourceFeed feed) {
    var security = feed.getSpec().getKafka().getSecurity();
    return security == null || feed.getSpec().getKafka().getBootstrapServers() == null ? null : security.getSasl();
  }

  /** The feed's CA Secret, when its Kafka (by bootstrap servers) uses TLS with a CA of its own. */
  static dev.pulse.crd.common.SecretKeyRef kafkaCa(SourceFeed feed) {
    var security = feed.getSpec().getKafka().getSecurity();
    return security == null || feed.getSpec().getKafka().getBootstrapServers() == null ? null
        : security.getCaSecret();
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
    if (kafkaCa(feed) != null) {
      mounts.add(new VolumeMountBuilder().withName("kafka-ca").withMountPath(IngesterConfig.KAFKA_CA_DIR)
          .withReadOnly(true).build());
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
    var ca = kafkaCa(feed);
    if (ca != null) {
      // Only the CA's key, under a fixed file name; the Secret's other keys (if any) are not mounted.
      volumes.add(new VolumeBuilder().withName("kafka-ca")
          .withNewSecret().withSecretName(ca.getName()).withOptional(false)
            .addNewItem().withKey(ca.keyOr(KafkaClientSecurity.DEFAULT_CA_KEY)).withPath(IngesterConfig.KAFKA_CA_FILE)
            .endItem()
          .endSecret().build());
    }
    volumes.add(new VolumeBuilder().withName("state").withNewEmptyDir().withSizeLimit(new Quantity("64Mi")).endEmptyDir().build());
    volumes.add(new VolumeBuilder().withName("tmp").withNewEmptyDir().withSizeLimit(new Quantity("256Mi")).endEmptyDir().build());
    return volumes;
  }

  static dev.pulse.crd.common.ConfigMapKeyRef replayConfigMap(SourceFeed feed) {
    return feed.getSpec().getType() == SourceFeedSpec.FeedType.REPLAY ? feed.getSpec().getReplay().getConfigMap() : null;
  }
}
