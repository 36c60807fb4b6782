package dev.pulse.contract;

import static dev.pulse.contract.ConfigOption.BOOLEAN;
import static dev.pulse.contract.ConfigOption.DOUBLE;
import static dev.pulse.contract.ConfigOption.DURATION;
import static dev.pulse.contract.ConfigOption.INT;
import static dev.pulse.contract.ConfigOption.LIST;
import static dev.pulse.contract.ConfigOption.LONG;
import static dev.pulse.contract.ConfigOption.STRING;
import static dev.pulse.contract.ConfigOption.enumType;
import static dev.pulse.contract.ConfigOption.optional;
import static dev.pulse.contract.ConfigOption.required;
import static dev.pulse.contract.ConfigOption.withDefault;

import java.time.Duration;
import java.util.List;

/**
 * The Spark job's settings: the {@code spark.pulse.*} keys of its SparkApplication's sparkConf. The operator writes
 * them ({@code SparkApplications.sparkConf}), {@code ./pulse spark} and {@code ./pulse local} fill the same keys, and
 * the job reads them ({@code PipelineSettings.from}); each key, type, default, description and check is here once.
 */
public final class SparkJobOptions {
  private SparkJobOptions() {}

  public static final String PREFIX = "spark.pulse.";

  public static final ConfigOption<String> PIPELINE = required(PREFIX + "pipeline", STRING,
      "The SentimentPipeline's name (stamped on aggregates and alerts, sent to the LLM gateway).");
  public static final ConfigOption<String> NAMESPACE = optional(PREFIX + "namespace", STRING,
      "The SentimentPipeline's namespace (the job logs it with the pipeline's name).");
  public static final ConfigOption<String> BOOTSTRAP_SERVERS = required(PREFIX + "kafka.bootstrapServers", STRING,
      "Kafka bootstrap servers.");
  public static final ConfigOption<List<String>> INPUT_TOPICS = required(PREFIX + "topics.input", LIST,
      "The feed topics the job reads (one per SourceFeed of the pipeline); the job refuses an empty list (the operator "
          + "renders one while the pipeline's feeds are not resolved yet).");
  public static final ConfigOption<String> SCORED_TOPIC = required(PREFIX + "topics.scored", STRING,
      "Where scored posts go.");
  public static final ConfigOption<String> AGGREGATES_TOPIC = required(PREFIX + "topics.aggregates", STRING,
      "Where windowed aggregates go.");
  public static final ConfigOption<String> ALERTS_TOPIC = required(PREFIX + "topics.alerts", STRING,
      "Where alerts go.");
  public static final ConfigOption<String> DEAD_LETTER_TOPIC = required(PREFIX + "topics.deadLetters", STRING,
      "Where records that are not valid posts go, with the reason.");
  public static final ConfigOption<Duration> TRIGGER_INTERVAL = withDefault(PREFIX + "trigger.interval", DURATION,
      Duration.ofSeconds(1), "Micro-batch interval (the aggregates query; the scored-posts query in MicroBatch mode).");
  public static final ConfigOption<TriggerMode> TRIGGER_MODE = withDefault(PREFIX + "trigger.mode",
      enumType(TriggerMode.class), TriggerMode.RealTime,
      "How the scored-posts query runs: RealTime (each post as it arrives) or MicroBatch.");
  public static final ConfigOption<Duration> CHECKPOINT_INTERVAL = withDefault(PREFIX + "trigger.checkpointInterval",
      DURATION, Duration.ofSeconds(30), "How often the scored-posts query checkpoints in real-time mode.")
      .validate(d -> d.compareTo(Duration.ofSeconds(5)) >= 0, "at least 5s");
  public static final ConfigOption<Duration> WATERMARK = withDefault(PREFIX + "watermark", DURATION,
      Duration.ofMinutes(10), "How long a post id is remembered for dedup (Kafka record time).");
  public static final ConfigOption<String> CHECKPOINT_LOCATION = required(PREFIX + "checkpointLocation", STRING,
      "The job's checkpoint root (each query checkpoints under it).");
  public static final ConfigOption<ScoringTier> SCORING_TIER = withDefault(PREFIX + "scoring.tier",
      enumType(ScoringTier.class), ScoringTier.fast, "Which light scorer runs: fast, full or lexicon.");
  public static final ConfigOption<Double> ESCALATION_THRESHOLD = withDefault(PREFIX + "scoring.escalationThreshold",
      DOUBLE, 0.6, "Posts whose light-scorer confidence is below this go to the LLM gateway (0: none, 1: all).")
      .validate(v -> v >= 0 && v <= 1, "in [0, 1]");
  public static final ConfigOption<String> GLOSSARY = optional(PREFIX + "glossary", STRING,
      "The pipeline's glossary as JSON: {\"terms\":[{\"term\",\"polarity\"}],\"crisisKeywords\":[...]}.");
  public static final ConfigOption<Duration> CRISIS_WINDOW = withDefault(PREFIX + "crisis.window", DURATION,
      Duration.ofMinutes(5), "The aggregates' tumbling window, and the crisis rule's.")
      .validate(d -> !d.isZero() && !d.isNegative(), "positive");
  public static final ConfigOption<Long> CRISIS_MIN_VOLUME = withDefault(PREFIX + "crisis.minVolume", LONG, 50L,
      "Posts a window needs before CRISIS, SPIKE or TREND_SHIFT can fire.")
      .validate(v -> v >= 1, "at least 1");
  public static final ConfigOption<Double> CRISIS_NEGATIVE_RATIO = withDefault(PREFIX + "crisis.negativeRatio",
      DOUBLE, 0.6, "The negative share of a window that raises CRISIS.")
      .validate(v -> v >= 0 && v <= 1, "in [0, 1]");
  public static final ConfigOption<Double> CRISIS_SPIKE_FACTOR = withDefault(PREFIX + "crisis.spikeFactor", DOUBLE,
      3.0, "How many times the trailing windows' mean count raises SPIKE.")
      .validate(v -> v > 0, "positive");
  public static final ConfigOption<String> LLM_GATEWAY_URL = optional(PREFIX + "llm.gatewayUrl", STRING,
      "The LLM gateway's root URL; absent: no escalation.");
  public static final ConfigOption<Duration> LLM_TIMEOUT = withDefault(PREFIX + "llm.timeout", DURATION,
      Duration.ofSeconds(2), "Per gateway request.");
  public static final ConfigOption<Integer> LLM_BATCH_SIZE = withDefault(PREFIX + "llm.batchSize", INT, 64,
      "Posts per gateway request.").validate(v -> v >= 1, "at least 1");
  public static final ConfigOption<String> QDRANT_HOST = optional(PREFIX + "qdrant.host", STRING,
      "Qdrant's host (gRPC); absent: no Qdrant.");
  public static final ConfigOption<Integer> QDRANT_PORT = withDefault(PREFIX + "qdrant.grpcPort", INT, 6334,
      "Qdrant's gRPC port.").validate(v -> v > 0 && v < 65536, "a port (1-65535)");
  public static final ConfigOption<Boolean> QDRANT_TLS = withDefault(PREFIX + "qdrant.tls", BOOLEAN, false,
      "Whether Qdrant's gRPC port speaks TLS.");
  public static final ConfigOption<String> QDRANT_COLLECTION = withDefault(PREFIX + "qdrant.collection", STRING,
      "pulse-posts", "The pipeline's Qdrant collection.");
  public static final ConfigOption<Integer> QDRANT_BATCH_SIZE = withDefault(PREFIX + "qdrant.batchSize", INT, 256,
      "Points per upsert.").validate(v -> v >= 1, "at least 1");
  public static final ConfigOption<VectorStoreKind> VECTOR_STORE = optional(PREFIX + "vectorStore",
      enumType(VectorStoreKind.class), "Where embeddings go; absent: qdrant when a Qdrant host is set, else none.");
  public static final ConfigOption<Duration> AGGREGATES_LATENESS = withDefault(PREFIX + "aggregates.lateness",
      DURATION, Duration.ofSeconds(30), "How far behind the newest post a window still takes posts.");
  public static final ConfigOption<EmbeddingModel> EMBEDDING_MODEL = withDefault(PREFIX + "embedding.model",
      enumType(EmbeddingModel.class), EmbeddingModel.int8, "The MiniLM export that embeds posts.");
  public static final ConfigOption<Integer> EMBEDDING_MAX_TOKENS = withDefault(PREFIX + "embedding.maxTokens", INT,
      256, "Word pieces embedded per post; longer texts are cut.");
  public static final ConfigOption<Integer> EMBEDDING_CACHE_SIZE = withDefault(PREFIX + "embedding.cacheSize", INT,
      10_000, "Texts whose vectors are kept for reposts (0: off).");
  public static final ConfigOption<Integer> DEDUP_MAX_IDS = withDefault(PREFIX + "dedup.maxIds", INT, 200_000,
      "The most post ids real-time mode's dedup keeps per executor.").validate(v -> v >= 1, "at least 1");

  /** Every setting, in the order the operator writes them. */
  public static final List<ConfigOption<?>> ALL = List.of(PIPELINE, NAMESPACE, BOOTSTRAP_SERVERS, INPUT_TOPICS,
      SCORED_TOPIC, AGGREGATES_TOPIC, ALERTS_TOPIC, DEAD_LETTER_TOPIC, TRIGGER_INTERVAL, TRIGGER_MODE,
      CHECKPOINT_INTERVAL, WATERMARK, CHECKPOINT_LOCATION, SCORING_TIER, ESCALATION_THRESHOLD, GLOSSARY, CRISIS_WINDOW,
      CRISIS_MIN_VOLUME, CRISIS_NEGATIVE_RATIO, CRISIS_SPIKE_FACTOR, LLM_GATEWAY_URL, LLM_TIMEOUT, LLM_BATCH_SIZE,
      QDRANT_HOST, QDRANT_PORT, QDRANT_TLS, QDRANT_COLLECTION, QDRANT_BATCH_SIZE, VECTOR_STORE, AGGREGATES_LATENESS,
      EMBEDDING_MODEL, EMBEDDING_MAX_TOKENS, EMBEDDING_CACHE_SIZE, DEDUP_MAX_IDS);
}
