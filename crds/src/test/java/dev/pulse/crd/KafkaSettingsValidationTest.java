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
 * The free-form topic config, the Kafka security block, the readiness bound and feed URLs, checked by the real API
 * server: what is refused (with a message that says what to do) and what is accepted.
 */
class KafkaSettingsValidationTest extends ApiServerTest {

  /** An RSS feed on a Kafka by bootstrap servers, replicas 3. */
  private static GenericKubernetesResource plainFeed() {
    GenericKubernetesResource feed = first("sourcefeed-rss-news.yaml", "SourceFeed");
    return with(with(with(feed, "spec.kafka.clusterName", null), "spec.kafka.bootstrapServers", "kafka:9093"),
        "spec.kafka.replicas", 3);
  }

  private static GenericKubernetesResource pipeline() {
    return first("sentimentpipeline-northwind.yaml", "SentimentPipeline");
  }

  private static Map<String, Object> sasl(String protocol) {
    return Map.of("protocol", protocol, "sasl", Map.of("username", "pulse-ingest",
        "passwordSecret", Map.of("name", "pulse-ingest")));
  }

  static Stream<Arguments> refused() {
    return Stream.of(
        Arguments.of("a broker-only setting as topic config",
            (Supplier<GenericKubernetesResource>) () -> with(plainFeed(), "spec.kafka.config",
                Map.of("log.dirs", "/tmp")),
            "kafka.config accepts only these topic configs"),
        Arguments.of("an unknown cleanup policy",
            (Supplier<GenericKubernetesResource>) () -> with(plainFeed(), "spec.kafka.config",
                Map.of("cleanup.policy", "forever")),
            "kafka.config cleanup.policy must be delete, compact or compact,delete"),
        Arguments.of("min.insync.replicas above the replication factor",
            (Supplier<GenericKubernetesResource>) () -> with(plainFeed(), "spec.kafka.config",
                Map.of("min.insync.replicas", "4")),
            "kafka.config min.insync.replicas must be a whole number from 1 to kafka.replicas"),
        Arguments.of("min.insync.replicas that is not a number",
            (Supplier<GenericKubernetesResource>) () -> with(plainFeed(), "spec.kafka.config",
                Map.of("min.insync.replicas", "two")),
            "kafka.config min.insync.replicas must be a whole number from 1 to kafka.replicas"),
        Arguments.of("a pipeline topic config that is no topic config",
            (Supplier<GenericKubernetesResource>) () -> with(pipeline(), "spec.kafka.config",
                Map.of("auto.create.topics.enable", "true")),
            "kafka.config accepts only these topic configs"),
        Arguments.of("a pipeline compression type Kafka does not know",
            (Supplier<GenericKubernetesResource>) () -> with(pipeline(), "spec.kafka.config",
                Map.of("compression.type", "brotli")),
            "kafka.config compression.type must be producer, uncompressed, gzip, snappy, lz4 or zstd"),
        Arguments.of("SASL settings with a non-SASL protocol",
            (Supplier<GenericKubernetesResource>) () -> with(plainFeed(), "spec.kafka.security",
                Map.of("protocol", "SSL", "sasl", Map.of("username", "u", "passwordSecret", Map.of("name", "s")))),
            "kafka.security.sasl must be set exactly when kafka.security.protocol is SASL_PLAINTEXT or SASL_SSL"),
        Arguments.of("a SASL protocol without SASL settings",
            (Supplier<GenericKubernetesResource>) () -> with(plainFeed(), "spec.kafka.security",
                Map.of("protocol", "SASL_SSL")),
            "kafka.security.sasl must be set exactly when kafka.security.protocol is SASL_PLAINTEXT or SASL_SSL"),
        Arguments.of("a CA for a plaintext connection",
            (Supplier<GenericKubernetesResource>) () -> with(plainFeed(), "spec.kafka.security",
                Map.of("protocol", "PLAINTEXT", "caSecret", Map.of("name", "kafka-ca"))),
            "kafka.security.caSecret is used only with TLS"),
        Arguments.of("security for a Strimzi cluster",
            (Supplier<GenericKubernetesResource>) () -> with(first("sourcefeed-rss-news.yaml", "SourceFeed"),
                "spec.kafka.security", sasl("SASL_SSL")),
            "kafka.security applies to kafka.bootstrapServers"),
        Arguments.of("a password written inline",
            (Supplier<GenericKubernetesResource>) () -> with(plainFeed(), "spec.kafka.security",
                Map.of("protocol", "SASL_SSL", "sasl", Map.of("username", "u", "password", "hunter2",
                    "passwordSecret", Map.of("name", "s")))),
            "unknown field \"spec.kafka.security.sasl.password\""),
        Arguments.of("a feed URL with a space and a pipe",
            (Supplier<GenericKubernetesResource>) () -> with(plainFeed(), "spec.rss.urls",
                List.of("https://news.example.com/bad feed|name.xml")),
            "every feed URL must consist of URL characters only"),
        Arguments.of("a readiness bound under 10s",
            (Supplier<GenericKubernetesResource>) () -> with(plainFeed(), "spec.staleAfter", "5s"),
            "spec.staleAfter must be at least 10s"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("refused")
  void isRefusedWithAnActionableMessage(String mistake, Supplier<GenericKubernetesResource> broken, String expected) {
    String namespace = server.createNamespace("kafka-settings");
    GenericKubernetesResource resource = broken.get();
    assertThatThrownBy(() -> client.genericKubernetesResources(resource.getApiVersion(), resource.getKind())
            .inNamespace(namespace).resource(resource).fieldValidation(Validation.STRICT).create())
        .isInstanceOf(KubernetesClientException.class)
        .satisfies(e -> assertThat(((KubernetesClientException) e).getCode()).isIn(400, 422))
        .hasMessageContaining(expected);
  }

  @Test
  void topicConfigSecurityAndReadinessBoundAreAcceptedAndDefaulted() {
    String namespace = server.createNamespace("kafka-settings-ok");
    GenericKubernetesResource feed = with(with(with(with(plainFeed(), "spec.kafka.config", Map.of(
            "cleanup.policy", "compact,delete", "min.insync.replicas", "2", "retention.bytes", "1073741824",
            "retention.ms", "86400000")),
        "spec.kafka.security", Map.of("protocol", "SASL_SSL", "caSecret", Map.of("name", "kafka-cluster-ca-cert"),
            "sasl", Map.of("username", "pulse-ingest", "passwordSecret", Map.of("name", "pulse-ingest")))),
        "spec.staleAfter", "10m"),
        "spec.rss.urls", List.of("https://news.google.com/rss/search?q=%22Northwind+Air%22&hl=en-GB&ceid=GB:en"));
    GenericKubernetesResource created = client.genericKubernetesResources("pulse.dev/v1alpha1", "SourceFeed")
        .inNamespace(namespace).resource(feed).fieldValidation(Validation.STRICT).create();
    @SuppressWarnings("unchecked")
    Map<String, Object> kafka = (Map<String, Object>) ((Map<String, Object>) created.getAdditionalProperties()
        .get("spec")).get("kafka");
    @SuppressWarnings("unchecked")
    Map<String, Object> sasl = (Map<String, Object>) ((Map<String, Object>) kafka.get("security")).get("sasl");
    assertThat(sasl).containsEntry("mechanism", "SCRAM_SHA_512");
    assertThat(kafka.get("config")).isEqualTo(Map.of("cleanup.policy", "compact,delete", "min.insync.replicas", "2",
        "retention.bytes", "1073741824", "retention.ms", "86400000"));

    GenericKubernetesResource p = with(pipeline(), "spec.kafka.config", Map.of("min.insync.replicas", "2",
        "cleanup.policy", "delete"));
    client.genericKubernetesResources("pulse.dev/v1alpha1", "SentimentPipeline").inNamespace(namespace).resource(p)
        .fieldValidation(Validation.STRICT).create();
  }
}
