package dev.pulse.dashboard.config;

import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Everything the dashboard is told (the operator sets these as environment variables, e.g.
 * PULSE_DASHBOARD_KAFKA_BOOTSTRAP_SERVERS). One dashboard serves one SentimentPipeline: the scored posts of its topic
 * belong to {@code pipeline}; aggregates and alerts name their pipeline themselves.
 */
@ConfigurationProperties(prefix = "pulse.dashboard")
public record DashboardProperties(
    @DefaultValue("local") String mode,
    @DefaultValue("demo") String pipeline,
    @DefaultValue("default") String namespace,
    @DefaultValue Kafka kafka,
    @DefaultValue History history,
    @DefaultValue Api api,
    @DefaultValue Auth auth,
    @DefaultValue Vectors vectors,
    List<String> brands,
    @DefaultValue Gateway gateway,
    @DefaultValue Live live) {

  public DashboardProperties {
    brands = brands == null ? List.of() : List.copyOf(brands);
  }

  /** The longest window a request may ask for: what the dashboard can fill (its look-back), at most api.maxWindow. */
  public Duration windowLimit() {
    return api.maxWindow().compareTo(history.lookback()) < 0 ? api.maxWindow() : history.lookback();
  }

  public boolean local() {
    return "local".equalsIgnoreCase(mode);
  }

  /** Topic names default to what the operator names a pipeline's outputs: pulse.pipeline.NAMESPACE.NAME.SUFFIX. */
  public record Kafka(
      @DefaultValue("localhost:9092") String bootstrapServers,
      String scoredTopic,
      String aggregatesTopic,
      String alertsTopic,
      @DefaultValue("true") boolean fromBeginning,
      @DefaultValue("30s") Duration staleAfter) {}

  /**
   * How much history is kept in memory. At start-up the topics are read from {@code lookback} ago (by record
   * timestamp), so a restart loses nothing within it; raw posts are capped at {@code maxPosts} (the drill-down reaches
   * back that far), aggregates and the per-brand counts (in {@code bucket}-long buckets) cover the whole look-back.
   */
  public record History(
      @DefaultValue("10000") int maxPosts,
      @DefaultValue("50000") int maxAggregates,
      @DefaultValue("500") int maxAlerts,
      @DefaultValue("24h") Duration lookback,
      @DefaultValue("1m") Duration bucket) {}

  /**
   * The pipeline's LLM gateway (its base URL), for alert explanations and drafted responses; off when empty.
   * {@code token}: the gateway's service token (PULSE_GATEWAY_TOKEN, from the pipeline's Secret), sent as a bearer
   * header; never logged.
   */
  public record Gateway(String url, @DefaultValue("20s") Duration timeout, String token) {
    @Override
    public String toString() {
      return "Gateway[url=" + url + ", timeout=" + timeout + ", token=" + (token == null ? "none" : "****") + "]";
    }

    public boolean enabled() {
      return url != null && !url.isBlank();
    }
  }

  public record Api(
      @DefaultValue("200") int maxPageSize,
      @DefaultValue("24h") Duration maxWindow,
      @DefaultValue("1h") Duration defaultWindow) {}

  /**
   * The live channel (/ws). {@code allowedOrigins}: origin patterns (e.g. https://*.example.com) whose pages may open
   * it besides the dashboard's own origin; empty = same origin only. {@code queueLimit}: messages waiting for one
   * client; a client that falls that far behind is disconnected (it reconnects and re-reads), so it never holds up
   * the others or the Kafka consumer.
   */
  public record Live(List<String> allowedOrigins, @DefaultValue("256") int queueLimit) {
    public Live {
      allowedOrigins = allowedOrigins == null ? List.of() : List.copyOf(allowedOrigins);
    }
  }

  /** Bearer-token auth of /api and /ws; off when no token is set (local mode never sets one). */
  public record Auth(String token) {
    public boolean enabled() {
      return token != null && !token.isBlank();
    }

    @Override
    public String toString() {
      return "Auth[token=" + (enabled() ? "****" : "none") + "]";
    }
  }

  /**
   * "Posts like this": {@code qdrant} in a cluster; otherwise an in-memory store where {@code embedder} minilm (all-MiniLM-L6-v2, what the pipeline stores), hashing (a light
   * stand-in for tests) or none; {@code indexConsumed} embeds every consumed post into the in-memory store (off when
   * the local pipeline fills the store itself).
   */
  public record Vectors(
      @DefaultValue("minilm") String embedder,
      @DefaultValue("true") boolean indexConsumed,
      @DefaultValue Qdrant qdrant) {}

  /**
   * The pipeline's Qdrant collection (gRPC port, 6334 by default). When {@code host} is set, "posts like this" asks
   * Qdrant and the in-memory store is not used. The API key comes from PULSE_QDRANT_API_KEY (a Secret).
   */
  public record Qdrant(String host, @DefaultValue("6334") int port, @DefaultValue("false") boolean tls,
      @DefaultValue("pulse-posts") String collection, @DefaultValue("3s") Duration timeout, String apiKey) {
    public boolean enabled() {
      return host != null && !host.isBlank();
    }
  }

  public String topic(String configured, String suffix) {
    return configured != null && !configured.isBlank() ? configured
        : "pulse.pipeline." + namespace + "." + pipeline + "." + suffix;
  }

  public String scoredTopic() {
    return topic(kafka.scoredTopic(), "scored");
  }

  public String aggregatesTopic() {
    return topic(kafka.aggregatesTopic(), "aggregates");
  }

  public String alertsTopic() {
    return topic(kafka.alertsTopic(), "alerts");
  }
}
