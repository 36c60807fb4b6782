package dev.pulse.stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pulse.contract.Durations;
import dev.pulse.scoring.glossary.Glossary;
import dev.pulse.scoring.SentimentScorer;
import dev.pulse.scoring.learned.EmbeddingSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
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
    String bootstrapServers,
    List<String> inputTopics,
    String scoredTopic,
    String aggregatesTopic,
    String alertsTopic,
    String deadLetterTopic,
    Duration triggerInterval,
    String triggerMode,
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
    String scorerTier,
    String vectorStore,
    Duration aggregatesLateness,
    EmbeddingSettings embedding,
    int dedupMaxIds,
    Duration checkpointInterval) {

  public static final String PREFIX = "spark.pulse.";
  private static final ObjectMapper JSON = new ObjectMapper();

  public boolean realTime() {
    return "RealTime".equalsIgnoreCase(triggerMode);
  }

  public static PipelineSettings from(Map<String, String> conf) {
    Reader r = new Reader(conf);
    String qdrantHost = r.opt("qdrant.host", null);
    String store = r.opt("vectorStore", qdrantHost == null || qdrantHost.isBlank() ? "none" : "qdrant");
    if (!List.of("qdrant", "memory", "none").contains(store)) {
      throw new IllegalArgumentException("spark.pulse.vectorStore must be qdrant, memory or none: '" + store + "'");
    }
    String tier = r.opt("scoring.tier", "fast");
    if (!SentimentScorer.TIERS.contains(tier)) {
      throw new IllegalArgumentException("spark.pulse.scoring.tier must be full, fast or lexicon: '" + tier + "'");
    }
    String mode = r.opt("trigger.mode", "MicroBatch");
    if (!List.of("MicroBatch", "RealTime").contains(mode)) {
      throw new IllegalArgumentException("spark.pulse.trigger.mode must be MicroBatch or RealTime: '" + mode + "'");
    }
    List<String> inputs = Arrays.stream(r.req("topics.input").split(",")).map(String::trim)
        .filter(s -> !s.isEmpty()).toList();
    if (inputs.isEmpty()) {
      throw new IllegalArgumentException("spark.pulse.topics.input names no topic");
    }
    return new PipelineSettings(
        r.req("pipeline"), r.req("kafka.bootstrapServers"), inputs, r.req("topics.scored"),
        r.req("topics.aggregates"), r.req("topics.alerts"), r.req("topics.deadLetters"),
        r.duration("trigger.interval", "1s"), mode, r.duration("watermark", "10m"), r.req("checkpointLocation"),
        r.dbl("scoring.escalationThreshold", 0.6), glossary(r.opt("glossary", null)),
        r.duration("crisis.window", "5m"), (long) r.dbl("crisis.minVolume", 50), r.dbl("crisis.negativeRatio", 0.6),
        r.dbl("crisis.spikeFactor", 3.0), r.opt("llm.gatewayUrl", null), r.duration("llm.timeout", "2s"),
        (int) r.dbl("llm.batchSize", 64), qdrantHost, (int) r.dbl("qdrant.grpcPort", 6334),
        Boolean.parseBoolean(r.opt("qdrant.tls", "false")), r.opt("qdrant.collection", "pulse-posts"),
        (int) r.dbl("qdrant.batchSize", 256), tier, store, r.duration("aggregates.lateness", "30s"),
        embedding(r), (int) r.positive("dedup.maxIds", RecentIds.DEFAULT_MAX_IDS), checkpointInterval(r));
  }

  private static Duration checkpointInterval(Reader r) {
    Duration d = r.duration("trigger.checkpointInterval", "30s");
    if (d.compareTo(Duration.ofSeconds(5)) < 0) {
      throw new IllegalArgumentException(PREFIX + "trigger.checkpointInterval must be at least 5s: " + d);
    }
    return d;
  }

  private static EmbeddingSettings embedding(Reader r) {
    EmbeddingSettings d = EmbeddingSettings.DEFAULT;
    try {
      return new EmbeddingSettings(r.opt("embedding.model", d.model()),
          (int) r.dbl("embedding.maxTokens", d.maxTokens()), (int) r.dbl("embedding.cacheSize", d.cacheSize()));
    } catch (IllegalArgumentException e) {
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

  private record Reader(Map<String, String> conf) {
    String opt(String key, String dflt) {
      String v = conf.get(PREFIX + key);
      return v == null || v.isBlank() ? dflt : v.trim();
    }

    String req(String key) {
      String v = opt(key, null);
      if (v == null) throw new IllegalArgumentException("missing Spark setting " + PREFIX + key);
      return v;
    }

    Duration duration(String key, String dflt) {
      try {
        return Durations.parse(opt(key, dflt));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(PREFIX + key + ": " + e.getMessage());
      }
    }

    double positive(String key, double dflt) {
      double v = dbl(key, dflt);
      if (v < 1) throw new IllegalArgumentException(PREFIX + key + " must be at least 1: " + conf.get(PREFIX + key));
      return v;
    }

    double dbl(String key, double dflt) {
      String v = opt(key, null);
      if (v == null) return dflt;
      try {
        return Double.parseDouble(v);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(PREFIX + key + " is not a number: '" + v + "'");
      }
    }
  }
}
