package dev.pulse.contract;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import java.io.UncheckedIOException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * One ingester's configuration, declared once for both sides: the operator builds it from a SourceFeed and writes it
 * ({@link #toYaml}) into the feed's ConfigMap, the ingester reads it ({@link #parse}/{@link #load}, YAML or JSON) and
 * checks it ({@link #validate}). Holds no secret: credentials come only from the environment (the ingester's
 * {@code Secret}). Unknown keys are rejected so a typo is reported instead of ignored; absent values are not written.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record IngestConfig(
    String feed,
    FeedType type,
    Rss rss,
    Reddit reddit,
    X x,
    Replay replay,
    String pollInterval,
    Filters filters,
    Kafka kafka,
    String checkpointFile,
    Integer metricsPort,
    Backoff backoff,
    String staleAfter) {

  /** Without {@code staleAfter} (the default bound applies). */
  public IngestConfig(String feed, FeedType type, Rss rss, Reddit reddit, X x, Replay replay, String pollInterval,
      Filters filters, Kafka kafka, String checkpointFile, Integer metricsPort, Backoff backoff) {
    this(feed, type, rss, reddit, x, replay, pollInterval, filters, kafka, checkpointFile, metricsPort, backoff, null);
  }

  public enum FeedType { RSS, REDDIT, X, REPLAY }

  /**
   * News feeds: RSS 2.0, RSS 1.0 or Atom URLs. A feed is fetched only from public addresses (after DNS resolution and
   * after every redirect): loopback, link-local (cloud metadata), private (RFC 1918, ULA) and other special ranges are
   * refused unless they fall in {@code allowedNetworks} (CIDR blocks, e.g. 10.1.2.0/24 or 127.0.0.1/32).
   * {@code maxBodyBytes} (default 10 MiB) caps a feed document, {@code fetchTimeout} (default 30s) one whole fetch.
   */
  public record Rss(List<String> feeds, Integer maxSeenPerFeed, List<String> allowedNetworks, Long maxBodyBytes,
      String fetchTimeout) {
    /** Public addresses only, default caps. */
    public Rss(List<String> feeds, Integer maxSeenPerFeed) {
      this(feeds, maxSeenPerFeed, null, null, null);
    }
  }

  /**
   * Reddit: subreddits to watch; {@code query} adds a search listing per subreddit. userAgent must follow Reddit's
   * rule {@code <platform>:<app id>:<version> (by /u/<user>)}.
   */
  public record Reddit(List<String> subreddits, String query, String userAgent, String authUrl, String apiUrl,
      Integer limit, Integer backfillPages) {}

  /** X API v2 recent search. */
  public record X(String query, String apiUrl, Integer maxResults, Integer maxPages) {}

  /**
   * A JSONL file of posts; rate in posts/s, 0 for as fast as possible. With {@code loop} the file starts again after
   * its last line, each pass's ids suffixed with {@code ~<pass>} so the dedup stages see new posts; without it the
   * end of the file ends the feed.
   */
  public record Replay(String file, Double rate, Integer batchSize, Boolean loop) {
    /** Played once. */
    public Replay(String file, Double rate, Integer batchSize) {
      this(file, rate, batchSize, null);
    }

    public boolean loops() {
      return Boolean.TRUE.equals(loop);
    }
  }

  /** Keep posts that contain any keyword (case-insensitive) and whose language is listed; empty lists keep all. */
  public record Filters(List<String> keywords, List<String> languages) {}

  /**
   * Where posts go. {@code deadLetterTopic}: where items the ingester cannot send are written with their reason (a
   * source item missing a required field, a record over the producer's size limit); when absent they are only
   * logged and counted. {@code security}: how the producer connects (TLS, SASL); its credentials come only from the
   * environment.
   */
  public record Kafka(String bootstrapServers, String topic, Map<String, String> producer, String deadLetterTopic,
      Security security) {
    public Kafka(String bootstrapServers, String topic, Map<String, String> producer) {
      this(bootstrapServers, topic, producer, null, null);
    }
  }

  /**
   * How Kafka clients connect. {@code protocol}: PLAINTEXT (default), SSL, SASL_PLAINTEXT or SASL_SSL.
   * {@code caFile}: PEM file of the CA that signed the brokers' certificates (a mounted Secret), for SSL and SASL_SSL;
   * absent = the JVM's trust store. {@code saslMechanism}: PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512 (default
   * SCRAM-SHA-512). The SASL user name and password are never in the config: the environment variables
   * {@code KAFKA_SASL_USERNAME} and {@code KAFKA_SASL_PASSWORD} carry them (filled from a Kubernetes Secret).
   */
  public record Security(String protocol, String caFile, String saslMechanism) {}

  /** Retries on 429 and 5xx: exponential with jitter from initial to max, at most maxAttempts per request. */
  public record Backoff(String initial, String max, Integer maxAttempts, String maxWait) {}

  private static final ObjectMapper YAML = JsonMapper.builder(new YAMLFactory())
      .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .build();
  private static final ObjectMapper YAML_WRITER = new ObjectMapper(new YAMLFactory()
      .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
      .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
      // A string that looks like a number ("16", "0.05") stays a string when read back.
      .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS))
      .setSerializationInclusion(JsonInclude.Include.NON_NULL);

  /** As the ConfigMap holds it; the same config always gives the same text (its hash rolls the ingester's pod). */
  public String toYaml() {
    try {
      return YAML_WRITER.writeValueAsString(this);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The same, as ordered maps and lists (what {@link #toYaml} writes). */
  public java.util.Map<String, Object> toMap() {
    return YAML_WRITER.convertValue(this, new TypeReference<java.util.LinkedHashMap<String, Object>>() {});
  }

  public static IngestConfig load(Path file) throws IOException {
    IngestConfig config;
    try {
      config = YAML.readValue(Files.readAllBytes(file), IngestConfig.class);
    } catch (IOException e) {
      throw new IOException("cannot read ingester config " + file + ": " + e.getMessage(), e);
    }
    if (config == null) {
      throw new IOException("ingester config " + file + " is empty");
    }
    config.validate();
    return config;
  }

  public static IngestConfig parse(String yamlOrJson) throws IOException {
    IngestConfig config = YAML.readValue(yamlOrJson, IngestConfig.class);
    config.validate();
    return config;
  }

  /** Fails with a message naming the field when a required one is missing or a value is out of range. */
  public void validate() {
    require(feed != null && !feed.isBlank(), "feed (the SourceFeed name) is required");
    require(type != null, "type is required: one of RSS, REDDIT, X, REPLAY");
    require(kafka != null && notBlank(kafka.bootstrapServers()), "kafka.bootstrapServers is required");
    require(notBlank(kafka.topic()), "kafka.topic is required");
    require(notBlank(checkpointFile), "checkpointFile is required");
    switch (type) {
      case RSS -> require(rss != null && rss.feeds() != null && !rss.feeds().isEmpty(),
          "type RSS needs rss.feeds (one or more URLs)");
      case REDDIT -> {
        require(reddit != null && reddit.subreddits() != null && !reddit.subreddits().isEmpty(),
            "type REDDIT needs reddit.subreddits");
        require(notBlank(reddit.userAgent()) && reddit.userAgent().contains("(by /u/"),
            "reddit.userAgent must look like '<platform>:<app id>:<version> (by /u/<user>)'");
      }
      case X -> require(x != null && notBlank(x.query()), "type X needs x.query");
      case REPLAY -> require(replay != null && notBlank(replay.file()), "type REPLAY needs replay.file");
    }
    poll();
    if (replay != null && replay.rate() != null) {
      require(replay.rate() >= 0, "replay.rate must be >= 0 (0 = as fast as possible)");
    }
    require(staleAfter == null || !Durations.parse(staleAfter).isZero(), "staleAfter must be more than 0");
    require(kafka.deadLetterTopic() == null || !kafka.deadLetterTopic().equals(kafka.topic()),
        "kafka.deadLetterTopic must not be kafka.topic: consumers read every record of the feed's topic as a post");
    Security security = kafka.security();
    if (security != null) {
      String protocol = security.protocol() == null ? "PLAINTEXT" : security.protocol();
      require(List.of("PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL").contains(protocol),
          "kafka.security.protocol must be one of PLAINTEXT, SSL, SASL_PLAINTEXT, SASL_SSL");
      require(security.saslMechanism() == null
              || List.of("PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512").contains(security.saslMechanism()),
          "kafka.security.saslMechanism must be one of PLAIN, SCRAM-SHA-256, SCRAM-SHA-512");
    }
  }

  /**
   * How long the ingester stays ready without a successful poll: {@code staleAfter}, else three poll intervals and
   * at least two minutes (a failing source backs off up to a minute between attempts).
   */
  public Duration staleAfterOrDefault() {
    if (staleAfter != null) {
      return Durations.parse(staleAfter);
    }
    Duration three = poll().multipliedBy(3);
    return three.compareTo(Duration.ofMinutes(2)) > 0 ? three : Duration.ofMinutes(2);
  }

  public Duration poll() {
    return pollInterval == null ? (type == FeedType.REPLAY ? Duration.ZERO : Duration.ofSeconds(60))
        : Durations.parse(pollInterval);
  }

  public Filters filtersOrEmpty() {
    return filters == null ? new Filters(List.of(), List.of()) : filters;
  }

  public int metricsPortOrDefault() {
    return metricsPort == null ? 9404 : metricsPort;
  }

  public Backoff backoffOrDefault() {
    Backoff b = backoff == null ? new Backoff(null, null, null, null) : backoff;
    return new Backoff(b.initial() == null ? "1s" : b.initial(), b.max() == null ? "60s" : b.max(),
        b.maxAttempts() == null ? 6 : b.maxAttempts(), b.maxWait() == null ? "15m" : b.maxWait());
  }

  public IngestConfig withReplayRate(double rate) {
    Replay r = replay == null ? new Replay(null, rate, null)
        : new Replay(replay.file(), rate, replay.batchSize(), replay.loop());
    return new IngestConfig(feed, type, rss, reddit, x, r, pollInterval, filters, kafka, checkpointFile, metricsPort,
        backoff, staleAfter);
  }

  public IngestConfig withMetricsPort(int port) {
    return new IngestConfig(feed, type, rss, reddit, x, replay, pollInterval, filters, kafka, checkpointFile, port,
        backoff, staleAfter);
  }

  private static boolean notBlank(String s) {
    return s != null && !s.isBlank();
  }

  private static void require(boolean ok, String message) {
    if (!ok) {
      throw new IllegalArgumentException("invalid ingester config: " + message);
    }
  }
}
