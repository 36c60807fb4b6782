package dev.pulse.crd;

import static dev.pulse.testing.Samples.first;
import static dev.pulse.testing.Samples.with;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.FieldValidateable.Validation;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Realistic mistakes, each rejected by the real API server (OpenAPI schema or CEL) with a message that says
 * what to fix. Each case starts from a valid sample and breaks one thing, so a passing case proves that
 * one rule.
 */
class InvalidResourcesTest extends ApiServerTest {

  private static final String RSS = "sourcefeed-rss-news.yaml";
  private static final String REDDIT = "sourcefeed-reddit.yaml";
  private static final String X = "sourcefeed-x.yaml";
  private static final String REPLAY = "sourcefeed-replay.yaml";
  private static final String ADAPTER = "modeladapter-gemma.yaml";
  private static final String PIPELINE = "sentimentpipeline-northwind.yaml";

  static Stream<Arguments> mistakes() {
    return Stream.of(
        mistake("RSS feed without its rss block",
            () -> with(feed(RSS), "spec.rss", null),
            "spec.type is RSS, so spec.rss must be set"),
        mistake("type says X but the block is reddit",
            () -> with(feed(REDDIT), "spec.type", "X"),
            "spec.type is X, so spec.x must be set"),
        mistake("two source blocks at once",
            () -> with(feed(RSS), "spec.replay", Map.of("path", "/data/posts.jsonl")),
            "exactly one of spec.rss, spec.reddit, spec.x or spec.replay must be set"),
        mistake("unknown feed type",
            () -> with(feed(RSS), "spec.type", "TWITTER"),
            "Unsupported value: \"TWITTER\": supported values: \"REDDIT\", \"REPLAY\", \"RSS\", \"X\""),
        mistake("escalation threshold above 1",
            () -> with(pipeline(), "spec.scoring.escalationThreshold", 1.5),
            "spec.scoring.escalationThreshold: Invalid value: 1.5: spec.scoring.escalationThreshold in body should be less than or equal to 1"),
        mistake("unknown scoring tier",
            () -> with(pipeline(), "spec.scoring.tier", "llm"),
            "spec.scoring.tier: Unsupported value: \"llm\": supported values: \"fast\", \"full\", \"lexicon\""),
        mistake("memory given as 16GB instead of 16Gi",
            () -> with(adapter(), "spec.resources.memory", "16GB"),
            "spec.resources.memory: Invalid value: \"string\": must be a Kubernetes quantity such as 500m, 2, 512Mi or 4Gi"),
        mistake("negative LLM replicas",
            () -> with(pipeline(), "spec.llm.replicas", -1),
            "spec.llm.replicas in body should be greater than or equal to 0"),
        mistake("poll interval written in words",
            () -> with(feed(RSS), "spec.pollInterval", "5 minutes"),
            "spec.pollInterval: Invalid value: \"string\": must be a duration such as 500ms, 30s, 5m or 1h30m"),
        mistake("crisis window shorter than the trigger interval",
            () -> with(pipeline(), "spec.scoring.crisis.window", "500ms"),
            "spec.scoring.crisis.window must be at least spec.spark.triggerInterval"),
        mistake("real-time checkpoint interval under 5s",
            () -> with(pipeline(), "spec.spark.checkpointInterval", "2s"),
            "spec.spark.checkpointInterval: Invalid value: \"string\": spark.checkpointInterval must be at least 5s"),
        mistake("Secret name with upper case and underscore",
            () -> with(feed(X), "spec.x.bearerTokenSecret.name", "X_API"),
            "spec.x.bearerTokenSecret.name: Invalid value: \"string\": must be a valid Kubernetes Secret name"),
        mistake("feed with both a Strimzi cluster and bootstrap servers",
            () -> with(feed(RSS), "spec.kafka.bootstrapServers", "pulse-kafka:9092"),
            "set exactly one of kafka.clusterName (a Strimzi Kafka cluster"),
        mistake("feed with neither a Strimzi cluster nor bootstrap servers",
            () -> with(feed(RSS), "spec.kafka.clusterName", null),
            "set exactly one of kafka.clusterName (a Strimzi Kafka cluster"),
        mistake("pipeline with both a Strimzi cluster and bootstrap servers",
            () -> with(pipeline(), "spec.kafka.bootstrapServers", "pulse-kafka:9092"),
            "set exactly one of kafka.clusterName (a Strimzi Kafka cluster"),
        mistake("bootstrap servers given as a URL",
            () -> with(with(feed(RSS), "spec.kafka.clusterName", null), "spec.kafka.bootstrapServers",
                "kafka://pulse-kafka:9092"),
            "must be a comma-separated list of host:port, e.g. pulse-kafka:9092"),
        mistake("LLM enabled without a vector store",
            () -> with(pipeline(), "spec.vectorStore", null),
            "spec.vectorStore is required when spec.llm is enabled"),
        mistake("misspelt field (partition for partitions)",
            () -> with(feed(RSS), "spec.kafka.partition", 3),
            "unknown field \"spec.kafka.partition\""),
        mistake("vector store without its Qdrant host",
            () -> with(pipeline(), "spec.vectorStore.host", null),
            "spec.vectorStore.host: Required value"),
        mistake("vector size of another embedding model",
            () -> with(pipeline(), "spec.vectorStore.vectorSize", 768),
            "vectorStore.vectorSize must be 384: Pulse embeds posts with all-MiniLM-L6-v2"),
        mistake("pipeline that selects no feed",
            () -> with(pipeline(), "spec.feeds", Map.of()),
            "feeds must name at least one SourceFeed (feeds.names) or select them by label (feeds.matchLabels)"),
        mistake("dashboard auth without its token Secret",
            () -> with(pipeline(), "spec.dashboard.auth.tokenSecret", null),
            "dashboard.auth.tokenSecret is required when dashboard.auth.enabled is true"),
        mistake("weights from a PVC and the Hub at once",
            () -> with(adapter(), "spec.baseModel.weightsPvc", Map.of("claimName", "gemma-weights")),
            "set exactly one of baseModel.weightsPvc (weights already on a volume) or baseModel.hubTokenSecret"),
        mistake("dataset from a ConfigMap and a pipeline's labelled topic at once",
            () -> with(adapter(), "spec.dataset.labelledTopic", Map.of("pipeline", "northwind")),
            "set exactly one of dataset.configMap, dataset.pvc or dataset.labelledTopic"),
        mistake("dataset with no source",
            () -> with(adapter(), "spec.dataset.configMap", null),
            "set exactly one of dataset.configMap, dataset.pvc or dataset.labelledTopic"),
        mistake("labelled topic dataset asking for no posts",
            () -> with(with(adapter(), "spec.dataset.configMap", null), "spec.dataset.labelledTopic",
                Map.of("pipeline", "northwind", "minPosts", 0)),
            "spec.dataset.labelledTopic.minPosts in body should be greater than or equal to 1"),
        mistake("labelled topic dataset naming a pipeline in upper case",
            () -> with(with(adapter(), "spec.dataset.configMap", null), "spec.dataset.labelledTopic",
                Map.of("pipeline", "Northwind")),
            "must be the name of a SentimentPipeline in this namespace"),
        mistake("learning rate of zero",
            () -> with(adapter(), "spec.lora.learningRate", 0),
            "spec.lora.learningRate in body should be greater than 0"),
        mistake("subreddit written with its r/ prefix",
            () -> with(feed(REDDIT), "spec.reddit.subreddits", List.of("r/travel")),
            "subreddit names are 2-21 letters, digits or '_', without the r/ prefix"),
        mistake("LLM enabled without a base model",
            () -> with(pipeline(), "spec.llm.baseModel", null),
            "llm.baseModel is required when llm.enabled is true"),
        mistake("base model that is not a Hugging Face id",
            () -> with(adapter(), "spec.baseModel.name", "gemma-2b"),
            "must be a Hugging Face model id of the form owner/name"),
        mistake("replay from both a ConfigMap and a path",
            () -> with(feed(REPLAY), "spec.replay.path", "/data/posts.jsonl"),
            "set exactly one of replay.configMap or replay.path"),
        mistake("checkpoint location without a scheme",
            () -> with(pipeline(), "spec.spark.checkpointLocation", "/checkpoints/northwind"),
            "spark.checkpointLocation must be a URI with scheme s3a://, gs://, hdfs://, abfss:// or file://"),
        mistake("the same dashboard brand twice",
            () -> with(pipeline(), "spec.dashboard.brands", List.of(
                Map.of("name", "Northwind Air", "terms", List.of("northwind")),
                Map.of("name", "northwind air", "terms", List.of("northwindair")))),
            "dashboard.brands: each brand name may appear only once (ignoring case)"),
        mistake("brand terms written as one string",
            () -> with(pipeline(), "spec.dashboard.brands", List.of(
                Map.of("name", "Northwind Air", "terms", "northwind, northwindair"))),
            "spec.dashboard.brands[0].terms: Invalid value: \"string\": spec.dashboard.brands[0].terms in body must be of type array"),
        mistake("dashboard look-back written in days",
            () -> with(pipeline(), "spec.dashboard.lookback", "2d"),
            "spec.dashboard.lookback: Invalid value: \"string\": must be a duration such as 500ms, 30s, 5m or 1h30m"),
        mistake("RuntimeClass name in upper case",
            () -> with(pipeline(), "spec.llm.resources.runtimeClassName", "NVIDIA"),
            "spec.llm.resources.runtimeClassName: Invalid value: \"string\": must be a RuntimeClass name"),
        mistake("Spark memory in Kubernetes units",
            () -> with(pipeline(), "spec.spark.executor.memory", "4Gi"),
            "must be a JVM memory size such as 512m or 2g"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("mistakes")
  void isRejectedWithAnActionableMessage(String mistake, Supplier<GenericKubernetesResource> broken, String expected) {
    String namespace = server.createNamespace("invalid");
    GenericKubernetesResource resource = broken.get();
    assertThatThrownBy(() -> client.genericKubernetesResources(resource.getApiVersion(), resource.getKind())
            .inNamespace(namespace).resource(resource).fieldValidation(Validation.STRICT).create())
        .isInstanceOf(KubernetesClientException.class)
        .satisfies(e -> assertThat(((KubernetesClientException) e).getCode()).isIn(400, 422))
        .hasMessageContaining(expected);
  }

  @Test
  void theValidSamplesThemselvesAreAccepted() {
    String namespace = server.createNamespace("valid");
    for (GenericKubernetesResource resource : List.of(feed(RSS), feed(REDDIT), feed(X), feed(REPLAY), adapter(), pipeline())) {
      client.genericKubernetesResources(resource.getApiVersion(), resource.getKind())
          .inNamespace(namespace).resource(resource).fieldValidation(Validation.STRICT).create();
    }
  }

  @Test
  void feedTypeAndKafkaClusterCannotChangeAfterCreation() {
    String namespace = server.createNamespace("immutable");
    GenericKubernetesResource created = client.genericKubernetesResources("pulse.dev/v1alpha1", "SourceFeed")
        .inNamespace(namespace).resource(feed(RSS)).create();

    GenericKubernetesResource retyped = with(with(with(created, "spec.type", "REPLAY"), "spec.rss", null),
        "spec.replay", Map.of("path", "/data/posts.jsonl"));
    assertThatThrownBy(() -> client.genericKubernetesResources("pulse.dev/v1alpha1", "SourceFeed")
            .inNamespace(namespace).resource(retyped).update())
        .hasMessageContaining("spec.type cannot be changed; create a new SourceFeed instead");

    GenericKubernetesResource fresh = client.genericKubernetesResources("pulse.dev/v1alpha1", "SourceFeed")
        .inNamespace(namespace).withName(created.getMetadata().getName()).get();
    assertThatThrownBy(() -> client.genericKubernetesResources("pulse.dev/v1alpha1", "SourceFeed")
            .inNamespace(namespace).resource(with(fresh, "spec.kafka.clusterName", "other-kafka")).update())
        .hasMessageContaining("kafka.clusterName cannot be changed");
  }

  @Test
  void aFeedCannotSwitchBetweenAStrimziClusterAndBootstrapServers() {
    String namespace = server.createNamespace("kafka-mode");
    GenericKubernetesResource strimzi = client.genericKubernetesResources("pulse.dev/v1alpha1", "SourceFeed")
        .inNamespace(namespace).resource(feed(RSS)).create();
    GenericKubernetesResource toPlain = with(with(strimzi, "spec.kafka.clusterName", null),
        "spec.kafka.bootstrapServers", "pulse-kafka:9092");
    assertThatThrownBy(() -> client.genericKubernetesResources("pulse.dev/v1alpha1", "SourceFeed")
            .inNamespace(namespace).resource(toPlain).update())
        .hasMessageContaining("kafka.clusterName and kafka.bootstrapServers cannot be swapped");

    // With bootstrap servers, the address itself may change (same cluster, other listeners or brokers).
    GenericKubernetesResource plain = with(with(feed(RSS), "spec.kafka.clusterName", null),
        "spec.kafka.bootstrapServers", "pulse-kafka:9092");
    plain.getMetadata().setName("plain-feed");
    GenericKubernetesResource created = client.genericKubernetesResources("pulse.dev/v1alpha1", "SourceFeed")
        .inNamespace(namespace).resource(plain).create();
    client.genericKubernetesResources("pulse.dev/v1alpha1", "SourceFeed").inNamespace(namespace)
        .resource(with(created, "spec.kafka.bootstrapServers", "kafka-0.kafka:9092,kafka-1.kafka:9092")).update();
    GenericKubernetesResource moved = client.genericKubernetesResources("pulse.dev/v1alpha1", "SourceFeed")
        .inNamespace(namespace).withName("plain-feed").get();
    assertThatThrownBy(() -> client.genericKubernetesResources("pulse.dev/v1alpha1", "SourceFeed")
            .inNamespace(namespace).resource(with(with(moved, "spec.kafka.bootstrapServers", null),
                "spec.kafka.clusterName", "pulse-kafka")).update())
        .hasMessageContaining("kafka.clusterName and kafka.bootstrapServers cannot be swapped");
  }

  private static Arguments mistake(String name, Supplier<GenericKubernetesResource> broken, String expected) {
    return Arguments.of(name, broken, expected);
  }

  private static GenericKubernetesResource feed(String file) {
    return first(file, "SourceFeed");
  }

  private static GenericKubernetesResource adapter() {
    return first(ADAPTER, "ModelAdapter");
  }

  private static GenericKubernetesResource pipeline() {
    return first(PIPELINE, "SentimentPipeline");
  }
}
