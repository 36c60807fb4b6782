package dev.pulse.stream;

import static dev.pulse.contract.SparkJobOptions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pulse.contract.ScoringTier;
import dev.pulse.contract.SparkJobOptions;
import dev.pulse.contract.TriggerMode;
import dev.pulse.contract.VectorStoreKind;
import dev.pulse.scoring.glossary.Glossary;
import dev.pulse.scoring.learned.EmbeddingSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The job's whole configuration, read from the {@code spark.pulse.*} keys the operator writes into the
 * SparkApplication's sparkConf (operator: {@code SparkApplications.sparkConf}); `./pulse spark` fills the same keys
 * from its options. Keys marked (job) are the job's own, with defaults, not written by the operator.
 *
 * @param triggerMode MicroBatch or RealTime (the scored-posts query only; aggregates are always micro-batch)
 * @param scorerTier (job) {@code spark.pulse.scoring.tier}: fast (lexicon + learned tier on MiniLM, default), full
 *     (fast + fine-tuned e5-small-v2, a second pass: under half the posts/s) or lexicon
 * @param vectorStore (job) {@code spark.pulse.vectorStore}: qdrant (default when a Qdrant host is set), memory, none
 * @param embedding (job) {@code spark.pulse.embedding.model} (int8 | fp32), {@code .maxTokens} (256),
 *     {@code .cacheSize} (10000; 0 = off): see {@link EmbeddingSettings}
 * @param checkpointInterval {@code spark.pulse.trigger.checkpointInterval}: how often the scoring query checkpoints in
 *     real-time mode (30s, at least 5s)
 * @param dedupMaxIds (job) {@code spark.pulse.dedup.maxIds}: the most post ids real-time mode's dedup keeps per
 *     executor (200000)
 */
public record PipelineSettings(
    String pipeline,
    String namespace,
    String bootstrapServers,
    List<String> inputTopics,
    String scoredTopic,
    String aggregatesTopic,
    String alertsTopic,
    String deadLetterTopic,
    Duration triggerInterval,
    TriggerMode triggerMode,
    Duration watermark,
    String checkpointLocation,
    double escalationThreshold,
    Glossary glossary,
    Duration crisisWindow,
    long crisisMinVolume,
    double crisisNegativeRatio,
    double crisisSpikeFactor,
    String gatewayUrl,
    Duration llmTimeout,
    int llmBatchSize,
    String qdrantHost,
    int qdrantPort,
    boolean qdrantTls,
    String qdrantCollection,
    int qdrantBatchSize,
    ScoringTier scorerTier,
    VectorStoreKind vectorStore,
    Duration aggregatesLateness,
    EmbeddingSettings embedding,
    int dedupMaxIds,
    Duration checkpointInterval) {

  public static final String PREFIX = SparkJobOptions.PREFIX;
  private static final ObjectMapper JSON = new ObjectMapper();

  public boolean realTime() {
    return triggerMode == TriggerMode.RealTime;
  }

  /** The settings in {@code conf}, read through {@link SparkJobOptions}: a missing or malformed key is named. */
  public static PipelineSettings from(Map<String, String> conf) {
    List<String> inputs = INPUT_TOPICS.read(conf);
    if (inputs.isEmpty()) throw new IllegalArgumentException(INPUT_TOPICS.key() + " names no topic");
    String qdrantHost = QDRANT_HOST.read(conf);
    VectorStoreKind store = VECTOR_STORE.read(conf);
    if (store == null) store = qdrantHost == null ? VectorStoreKind.none : VectorStoreKind.qdrant;
    return new PipelineSettings(
        PIPELINE.read(conf), NAMESPACE.read(conf), BOOTSTRAP_SERVERS.read(conf), inputs, SCORED_TOPIC.read(conf),
        AGGREGATES_TOPIC.read(conf), ALERTS_TOPIC.read(conf), DEAD_LETTER_TOPIC.read(conf),
        TRIGGER_INTERVAL.read(conf), TRIGGER_MODE.read(conf), WATERMARK.read(conf),
        CHECKPOINT_LOCATION.read(conf), ESCALATION_THRESHOLD.read(conf), glossary(GLOSSARY.read(conf)),
        CRISIS_WINDOW.read(conf), CRISIS_MIN_VOLUME.read(conf), CRISIS_NEGATIVE_RATIO.read(conf),
        CRISIS_SPIKE_FACTOR.read(conf), LLM_GATEWAY_URL.read(conf), LLM_TIMEOUT.read(conf),
        LLM_BATCH_SIZE.read(conf), qdrantHost, QDRANT_PORT.read(conf),
        QDRANT_TLS.read(conf), QDRANT_COLLECTION.read(conf), QDRANT_BATCH_SIZE.read(conf),
        SCORING_TIER.read(conf), store, AGGREGATES_LATENESS.read(conf), embedding(conf),
        DEDUP_MAX_IDS.read(conf), CHECKPOINT_INTERVAL.read(conf));
  }

  private static EmbeddingSettings embedding(Map<String, String> conf) {
    try {
      return new EmbeddingSettings(EMBEDDING_MODEL.read(conf).name(), EMBEDDING_MAX_TOKENS.read(conf),
          EMBEDDING_CACHE_SIZE.read(conf));
    } catch (IllegalArgumentException e) {
      if (e.getMessage().startsWith(PREFIX)) throw e;
      throw new IllegalArgumentException(PREFIX + e.getMessage().replace("embedding ", "embedding."), e);
    }
  }

  /** The glossary as the operator writes it: the CRD's JSON, {@code {"terms":[{term,polarity}],"crisisKeywords":[]}}. */
  static Glossary glossary(String json) {
    if (json == null || json.isBlank()) return Glossary.EMPTY;
    try {
      JsonNode root = JSON.readTree(json);
      List<Glossary.Term> terms = new ArrayList<>();
      for (JsonNode t : root.path("terms")) {
        terms.add(new Glossary.Term(t.path("term").asText(), t.path("polarity").asDouble()));
      }
      List<String> keywords = new ArrayList<>();
      root.path("crisisKeywords").forEach(k -> keywords.add(k.asText()));
      return new Glossary(terms, keywords);
    } catch (Exception e) {
      throw new IllegalArgumentException("spark.pulse.glossary is not a valid glossary: " + e.getMessage(), e);
    }
  }

  public AlertRule alertRule() {
    return AlertRule.of(pipeline, crisisWindow, crisisMinVolume, crisisNegativeRatio, crisisSpikeFactor,
        glossary.crisisKeywords());
  }
}
