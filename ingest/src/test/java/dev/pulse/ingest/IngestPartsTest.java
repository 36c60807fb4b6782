package dev.pulse.ingest;

import dev.pulse.contract.IngestConfig;

import dev.pulse.contract.Durations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pulse.event.Post;
import dev.pulse.event.Source;
import java.net.http.HttpHeaders;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The pure parts of the ingesters: config, backoff, rate-limit headers, filters, secrets. */
class IngestPartsTest {
  private static final Instant NOW = Instant.parse("2026-11-24T23:00:00Z");

  private static HttpHeaders headers(Map<String, String> h) {
    return HttpHeaders.of(h.entrySet().stream().collect(java.util.stream.Collectors.toMap(
        Map.Entry::getKey, e -> List.of(e.getValue()))), (a, b) -> true);
  }

  @Test
  void readsTheConfigTheOperatorWritesAsYamlOrJson() throws Exception {
    String yaml = """
        feed: acme-reddit
        type: REDDIT
        reddit:
          subreddits: [acme, gadgets]
          query: acme
          userAgent: "linux:dev.pulse.ingest:v0.1.0 (by /u/pulse-bot)"
        pollInterval: 30s
        filters: {keywords: [acme], languages: [en]}
        kafka: {bootstrapServers: "pulse-kafka-bootstrap:9092", topic: pulse.acme-reddit.posts}
        checkpointFile: /var/lib/pulse/cursor.json
        """;
    IngestConfig fromYaml = IngestConfig.parse(yaml);
    assertThat(fromYaml.poll()).isEqualTo(Duration.ofSeconds(30));
    assertThat(fromYaml.reddit().subreddits()).containsExactly("acme", "gadgets");
    String json = """
        {"feed":"acme-x","type":"X","x":{"query":"acme"},"pollInterval":"PT1M",
         "kafka":{"bootstrapServers":"k:9092","topic":"t"},"checkpointFile":"/tmp/c.json","metricsPort":9404}
        """;
    assertThat(IngestConfig.parse(json).poll()).isEqualTo(Duration.ofMinutes(1));
    assertThatThrownBy(() -> IngestConfig.parse(yaml.replace("pollInterval", "pollIntervall")))
        .hasMessageContaining("pollIntervall");
    assertThatThrownBy(() -> IngestConfig.parse(yaml.replace("(by /u/pulse-bot)", "")))
        .hasMessageContaining("reddit.userAgent");
    assertThatThrownBy(() -> IngestConfig.parse(yaml.replace("30s", "often"))).hasMessageContaining("often");
  }

  @Test
  void kafkaSecurityDeadLettersAndStalenessAreCheckedWhenTheConfigIsRead() throws Exception {
    String yaml = """
        feed: f
        type: X
        x: {query: acme}
        pollInterval: 90s
        kafka:
          bootstrapServers: "k:9093"
          topic: t
          deadLetterTopic: t.dead-letters
          security: {protocol: SASL_SSL, caFile: /etc/ca.crt, saslMechanism: SCRAM-SHA-256}
        checkpointFile: /tmp/c.json
        """;
    IngestConfig config = IngestConfig.parse(yaml);
    assertThat(config.kafka().security().saslMechanism()).isEqualTo("SCRAM-SHA-256");
    assertThat(config.staleAfterOrDefault()).as("three poll intervals").isEqualTo(Duration.ofSeconds(270));
    assertThat(IngestConfig.parse(yaml.replace("90s", "10s")).staleAfterOrDefault()).as("at least 2m")
        .isEqualTo(Duration.ofMinutes(2));
    assertThat(IngestConfig.parse(yaml + "staleAfter: 1h30m\n").staleAfterOrDefault()).isEqualTo(Duration.ofMinutes(90));
    assertThatThrownBy(() -> IngestConfig.parse(yaml.replace("t.dead-letters", "t")))
        .hasMessageContaining("kafka.deadLetterTopic must not be kafka.topic");
    assertThatThrownBy(() -> IngestConfig.parse(yaml.replace("SASL_SSL", "KERBEROS")))
        .hasMessageContaining("kafka.security.protocol must be one of");
    assertThatThrownBy(() -> IngestConfig.parse(yaml.replace("SCRAM-SHA-256", "GSSAPI")))
        .hasMessageContaining("kafka.security.saslMechanism must be one of");
    assertThatThrownBy(() -> IngestConfig.parse(yaml + "kafkaPassword: x\n")).hasMessageContaining("kafkaPassword");
  }

  @Test
  void secretsNeverShowTheirValue() {
    Secret s = Secret.require(Map.of("X_BEARER_TOKEN", "AAAA-token"), "X_BEARER_TOKEN");
    assertThat(s.toString()).isEqualTo("Secret[X_BEARER_TOKEN=****]");
    assertThat(s.reveal()).isEqualTo("AAAA-token");
    assertThatThrownBy(() -> Secret.require(Map.of(), "X_BEARER_TOKEN")).hasMessageContaining("X_BEARER_TOKEN")
        .hasMessageContaining("not set");
  }

  @Test
  void backoffGrowsWithJitterAndHonoursTheServer() {
    Backoff b = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(5), 6, Duration.ofMinutes(15));
    Random r = new Random(7);
    for (int attempt = 0; attempt < 8; attempt++) {
      long ceiling = Math.min(5000, 100L << attempt);
      assertThat(b.delay(attempt, null, r).toMillis()).isBetween(ceiling / 2, ceiling);
    }
    assertThat(b.delay(0, Duration.ofSeconds(30), r)).isEqualTo(Duration.ofSeconds(30));
    assertThat(b.delay(0, Duration.ofHours(2), r)).isEqualTo(Duration.ofMinutes(15));
  }

  @Test
  void readsEachApisRateLimitHeaders() {
    assertThat(RateLimitHeaders.waitHint(headers(Map.of("Retry-After", "7")), NOW)).contains(Duration.ofSeconds(7));
    assertThat(RateLimitHeaders.waitHint(headers(Map.of("Retry-After", "Tue, 24 Nov 2026 23:00:30 GMT")), NOW))
        .contains(Duration.ofSeconds(30));
    assertThat(RateLimitHeaders.waitHint(
        headers(Map.of("x-rate-limit-reset", Long.toString(NOW.getEpochSecond() + 90))), NOW))
        .contains(Duration.ofSeconds(90));
    assertThat(RateLimitHeaders.waitHint(headers(Map.of("X-Ratelimit-Reset", "42", "X-Ratelimit-Remaining", "0")),
        NOW)).contains(Duration.ofSeconds(42));
    assertThat(RateLimitHeaders.redditRemaining(headers(Map.of("X-Ratelimit-Remaining", "12.0")))).contains(12.0);
    assertThat(RateLimitHeaders.waitHint(headers(Map.of()), NOW)).isEmpty();
  }

  @Test
  void filtersByKeywordAndLanguage() {
    PostFilter f = new PostFilter(List.of("Acme", " recall "), List.of("en-US", "fr"));
    assertThat(f.rejection(post("ACME rocks", "en"))).isEmpty();
    assertThat(f.rejection(post("a product recall", "fr_FR"))).isEmpty();
    assertThat(f.rejection(post("acme rocks", "de"))).contains("language");
    assertThat(f.rejection(post("nothing here", "en"))).contains("keyword");
    assertThat(f.rejection(post("acme, language unknown", null))).isEmpty();
    assertThat(new PostFilter(null, null).rejection(post("anything", "xx"))).isEmpty();
  }

  @Test
  void durationsReadTheWayKubernetesUsersWriteThem() {
    assertThat(Durations.parse("500ms")).isEqualTo(Duration.ofMillis(500));
    assertThat(Durations.parse("5m")).isEqualTo(Duration.ofMinutes(5));
    assertThat(Durations.parse("PT2H")).isEqualTo(Duration.ofHours(2));
  }

  private static Post post(String text, String lang) {
    return Post.of("x:1", Source.X, "f", null, text, lang, NOW, NOW, null, null, null);
  }
}
