package dev.pulse.operator.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.pulse.crd.common.PulseCondition;
import dev.pulse.crd.common.PulseStatus;
import dev.pulse.crd.v1alpha1.SentimentPipeline;
import dev.pulse.crd.v1alpha1.SourceFeed;
import dev.pulse.operator.pipeline.spark.SparkApplication;
import dev.pulse.operator.reconcile.SentimentPipelineReconciler;
import dev.pulse.operator.reconcile.SourceFeedReconciler;
import dev.pulse.operator.support.PulseImages;
import dev.pulse.operator.support.RunningOperator;
import dev.pulse.testing.Samples;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.strimzi.api.kafka.model.topic.KafkaTopic;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.admin.TopicDescription;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * SourceFeeds and SentimentPipelines that name {@code kafka.bootstrapServers} instead of a Strimzi cluster, against a
 * real kube-apiserver and a real Kafka broker (KRaft, in this JVM): the operator makes the topics itself through the
 * Kafka Admin API, and the minimal samples (config/samples/minimal) reconcile to a truthful state. The broker stands
 * in for the samples' {@code pulse-kafka:9092} Service: the tests put its address into the samples.
 */
class KafkaWithoutStrimziOnRealApiServerTest {

  private static final Duration WAIT = Duration.ofSeconds(60);
  private static TestKafka kafka;
  private static KafkaTopicAdmin admin;
  private static RunningOperator operator;
  private static KubernetesClient client;

  @BeforeAll
  static void start() {
    kafka = TestKafka.shared();
    admin = new KafkaTopicAdmin(java.time.Clock.systemUTC(), Duration.ofSeconds(3));
    operator = RunningOperator.start(
        new SourceFeedReconciler(PulseImages.defaults(), Duration.ofSeconds(2), admin),
        new SentimentPipelineReconciler(PulseImages.defaults(), Duration.ofSeconds(2), admin));
    client = operator.testClient();
  }

  @AfterAll
  static void stop() {
    if (operator != null) {
      operator.close();
    }
    admin.close();
  }

  @Test
  void theMinimalSamplesBecomeTopicsInKafkaAnIngesterAndADashboardWithTruthfulConditions() {
    String ns = operator.server().createNamespace("minimal");
    for (Path file : Samples.minimalFiles()) {
      for (GenericKubernetesResource object : Samples.load(file)) {
        client.genericKubernetesResources(object.getApiVersion(), object.getKind()).inNamespace(ns)
            .resource(pointedAtTheBroker(object)).create();
      }
    }
    String feedTopic = "pulse.feed." + ns + ".minimal-replay";

    // The feed's topic, made through the Admin API with the sample's partitions, replicas and retention.
    TopicDescription topic = await().atMost(WAIT).until(() -> kafka.describe(feedTopic), t -> t != null);
    assertThat(topic.partitions()).hasSize(1);
    assertThat(topic.partitions().get(0).replicas()).hasSize(1);
    assertThat(kafka.config(feedTopic, "retention.ms")).isEqualTo("86400000");
    SourceFeed feed = awaitStatus(SourceFeed.class, ns, "minimal-replay", "Topic", "True", "TopicReady");
    assertThat(feed.getStatus().condition("Topic").orElseThrow().getMessage())
        .contains(feedTopic).contains(kafka.bootstrapServers()).contains("Kafka Admin API");
    assertThat(client.resources(KafkaTopic.class).inNamespace(ns).list().getItems())
        .as("no Strimzi KafkaTopic for a Kafka Strimzi does not manage").isEmpty();

    // The ingester writes to the feed's bootstrap servers; its Deployment exists (no controller runs here).
    ConfigMap config = await().atMost(WAIT).until(
        () -> client.configMaps().inNamespace(ns).withName("minimal-replay-ingester").get(), c -> c != null);
    assertThat(config.getData().get("ingest.yaml")).contains("bootstrapServers: " + kafka.bootstrapServers())
        .contains("topic: " + feedTopic).contains("file: /data/replay/posts.jsonl");
    await().atMost(WAIT).until(() -> client.apps().deployments().inNamespace(ns).withName("minimal-replay-ingester")
        .get() != null);
    assertThat(feed.getStatus().condition("Ingester").orElseThrow().getReason()).isEqualTo("IngesterPending");

    // The pipeline's five output topics, the dashboard, and a condition per part that says what is true.
    SentimentPipeline pipeline = awaitStatus(SentimentPipeline.class, ns, "minimal", "Topics", "True", "TopicsReady");
    for (String suffix : List.of("scored", "aggregates", "alerts", "dead-letters", "labelled")) {
      String name = "pulse.pipeline." + ns + ".minimal." + suffix;
      assertThat(kafka.describe(name)).as(name).isNotNull();
    }
    await().atMost(WAIT).untilAsserted(() -> assertThat(kafka.config("pulse.pipeline." + ns + ".minimal.dead-letters",
        "retention.ms")).as("dead letters kept 4x longer").isEqualTo(String.valueOf(4 * 86_400_000L)));
    assertThat(kafka.config("pulse.pipeline." + ns + ".minimal.labelled", "cleanup.policy"))
        .as("labels (keyed by post id) are compacted, never expired").isEqualTo("compact");
    assertThat(pipeline.getStatus().getOutputTopics()).contains("pulse.pipeline." + ns + ".minimal.labelled");
    assertThat(client.apps().deployments().inNamespace(ns).withName("minimal-dashboard").get()).isNotNull();
    assertThat(client.services().inNamespace(ns).withName("minimal-dashboard").get()).isNotNull();
    assertThat(client.apps().deployments().inNamespace(ns).withName("minimal-vllm").get()).isNull();
    assertThat(client.network().v1().ingresses().inNamespace(ns).list().getItems()).isEmpty();
    assertThat(condition(pipeline, "LLM")).satisfies(c -> {
      assertThat(c.getStatus()).isEqualTo("True");
      assertThat(c.getReason()).isEqualTo("Disabled");
    });
    assertThat(condition(pipeline, "VectorStore")).satisfies(c -> {
      assertThat(c.getStatus()).isEqualTo("True");
      assertThat(c.getReason()).isEqualTo("Disabled");
      assertThat(c.getMessage()).contains("not embedded or stored");
    });
    assertThat(condition(pipeline, "Dashboard").getReason()).isEqualTo("DashboardProgressing");
    // The Spark operator's CRD is installed on this API server but no Spark operator runs: the job is pending.
    assertThat(condition(pipeline, "Spark").getReason()).isEqualTo("SparkPending");
    assertThat(condition(pipeline, "Ready").getStatus()).isEqualTo("False");
    SparkApplication app = client.resources(SparkApplication.class).inNamespace(ns).withName("minimal-stream").get();
    assertThat(app.getSpec().getSparkConf())
        .containsEntry("spark.pulse.kafka.bootstrapServers", kafka.bootstrapServers())
        .containsEntry("spark.pulse.topics.input", feedTopic)
        .containsEntry("spark.pulse.vectorStore", "none")
        .doesNotContainKey("spark.pulse.qdrant.host");

    // Every topic the operator made is on record as a Normal Event.
    await().atMost(WAIT).untilAsserted(() -> {
      // The feed's topic and its dead-letter topic.
      assertThat(operator.eventsAbout(feed)).filteredOn(e -> "TopicCreated".equals(e.getReason())).hasSize(2)
          .allSatisfy(e -> assertThat(e.getType()).isEqualTo("Normal"));
      assertThat(operator.eventsAbout(pipeline)).filteredOn(e -> "TopicCreated".equals(e.getReason())).hasSize(5);
    });
  }

  @Test
  void aGrownSpecRaisesPartitionsAndChangesRetentionAndASmallerOneIsReportedNotApplied() {
    String ns = operator.server().createNamespace("grow");
    create(ns, replayFromAFile(pointedAtTheBroker(Samples.first("minimal/sourcefeed-replay.yaml", "SourceFeed"))));
    String topic = "pulse.feed." + ns + ".minimal-replay";
    awaitStatus(SourceFeed.class, ns, "minimal-replay", "Topic", "True", "TopicReady");

    edit(ns, feed -> {
      feed.getSpec().getKafka().setPartitions(3);
      feed.getSpec().getKafka().setRetention("48h");
    });
    await().atMost(WAIT).untilAsserted(() -> {
      assertThat(kafka.describe(topic).partitions()).hasSize(3);
      assertThat(kafka.config(topic, "retention.ms")).isEqualTo("172800000");
    });
    SourceFeed grown = client.resources(SourceFeed.class).inNamespace(ns).withName("minimal-replay").get();
    await().atMost(WAIT).untilAsserted(() -> assertThat(operator.eventsAbout(grown)).extracting(Event::getReason)
        .contains("TopicPartitionsRaised", "TopicConfigUpdated"));

    edit(ns, feed -> feed.getSpec().getKafka().setPartitions(2));
    SourceFeed refused = awaitStatus(SourceFeed.class, ns, "minimal-replay", "Topic", "False", "PartitionsNotReduced");
    assertThat(refused.getStatus().condition("Topic").orElseThrow().getMessage())
        .contains("has 3 partitions and the spec asks for 2");
    assertThat(refused.getStatus().condition("Ready").orElseThrow().getReason()).isEqualTo("PartitionsNotReduced");
    assertThat(kafka.describe(topic).partitions()).hasSize(3);
    await().atMost(WAIT).untilAsserted(() -> assertThat(operator.eventsAbout(refused))
        .filteredOn(e -> "PartitionsNotReduced".equals(e.getReason()) && e.getMessage().startsWith("Topic:"))
        .isNotEmpty().allSatisfy(e -> assertThat(e.getType()).isEqualTo("Warning")));
  }

  @Test
  void anUnreachableKafkaIsReportedAndBlocksNeitherTheIngesterNorOtherFeeds() throws Exception {
    String ns = operator.server().createNamespace("unreachable");
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    GenericKubernetesResource dead = replayFromAFile(Samples.first("minimal/sourcefeed-replay.yaml", "SourceFeed"));
    Samples.with(dead, "spec.kafka.bootstrapServers", "127.0.0.1:" + closedPort);
    dead.getMetadata().setName("dead-kafka");
    create(ns, dead);
    create(ns, replayFromAFile(pointedAtTheBroker(Samples.first("minimal/sourcefeed-replay.yaml", "SourceFeed"))));

    SourceFeed failing = awaitStatus(SourceFeed.class, ns, "dead-kafka", "Topic", "False", "KafkaUnreachable");
    assertThat(failing.getStatus().condition("Topic").orElseThrow().getMessage())
        .contains("127.0.0.1:" + closedPort).contains("spec.kafka.bootstrapServers");
    assertThat(failing.getStatus().condition("Ready").orElseThrow().getReason()).isEqualTo("KafkaUnreachable");
    assertThat(client.apps().deployments().inNamespace(ns).withName("dead-kafka-ingester").get())
        .as("the ingester is deployed regardless; it waits for Kafka itself").isNotNull();
    await().atMost(WAIT).untilAsserted(() -> assertThat(operator.eventsAbout(failing))
        .filteredOn(e -> "KafkaUnreachable".equals(e.getReason()) && e.getMessage().startsWith("Topic:"))
        .isNotEmpty().allSatisfy(e -> assertThat(e.getType()).isEqualTo("Warning")));

    awaitStatus(SourceFeed.class, ns, "minimal-replay", "Topic", "True", "TopicReady");
  }

  /** The samples' pulse-kafka:9092 Service, here: the test broker. */
  private static GenericKubernetesResource pointedAtTheBroker(GenericKubernetesResource object) {
    if (object.getApiVersion().startsWith("pulse.dev/")) {
      Samples.with(object, "spec.kafka.bootstrapServers", kafka.bootstrapServers());
    }
    return object;
  }

  /** The sample feed reading a file in the image instead of its ConfigMap, so it needs no other object. */
  private static GenericKubernetesResource replayFromAFile(GenericKubernetesResource feed) {
    Samples.with(feed, "spec.replay.configMap", null);
    return Samples.with(feed, "spec.replay.path", "/data/posts.jsonl");
  }

  private static void create(String ns, GenericKubernetesResource object) {
    client.genericKubernetesResources(object.getApiVersion(), object.getKind()).inNamespace(ns).resource(object).create();
  }

  private static void edit(String ns, java.util.function.Consumer<SourceFeed> change) {
    RunningOperator.retryOnConflict(() -> client.resources(SourceFeed.class).inNamespace(ns).withName("minimal-replay")
        .edit(feed -> {
          change.accept(feed);
          return feed;
        }));
  }

  private static PulseCondition condition(CustomResource<?, ? extends PulseStatus> resource, String type) {
    return resource.getStatus().condition(type).orElseThrow();
  }

  private static <R extends CustomResource<?, ? extends PulseStatus>> R awaitStatus(Class<R> kind, String ns,
      String name, String type, String status, String reason) {
    return await().atMost(WAIT).until(() -> client.resources(kind).inNamespace(ns).withName(name).get(), r -> {
      if (r == null || r.getStatus() == null) {
        return false;
      }
      PulseCondition c = r.getStatus().condition(type).orElse(null);
      return c != null && status.equals(c.getStatus()) && reason.equals(c.getReason())
          && r.getStatus().getObservedGeneration() != null
          && r.getStatus().getObservedGeneration().equals(r.getMetadata().getGeneration());
    });
  }
}
