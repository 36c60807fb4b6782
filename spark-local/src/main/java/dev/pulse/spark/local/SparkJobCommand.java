package dev.pulse.spark.local;

import dev.pulse.testsupport.kafka.KafkaTopics;
import dev.pulse.stream.PipelineSettings;
import dev.pulse.spark.SentimentStreamingJob;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code pulse spark}: the Spark job of a SentimentPipeline in Spark local mode, with the options the operator
 * passes as {@code spark.pulse.*} keys in a cluster (each option sets one key; {@code --conf} sets any other).
 */
@Command(
    name = "spark",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
        "Runs the Spark Structured Streaming job in local mode: feed topics → parse/clean (invalid → dead letters) → "
            + "dedup → light scoring → LLM escalation → embeddings + vector store → scored topic; and windowed "
            + "aggregates and alerts. What the operator runs as a SparkApplication (main class "
            + "dev.pulse.spark.SentimentStreamingJob), configured the same way."})
public final class SparkJobCommand implements Callable<Integer> {

  @Option(names = "--bootstrap-servers", defaultValue = "localhost:9092", description = "Kafka (default: ${DEFAULT-VALUE}).")
  String bootstrapServers;

  @Option(names = "--pipeline", defaultValue = "local", description = "Pipeline name (default: ${DEFAULT-VALUE}); topics default to pulse.<pipeline>.*.")
  String pipeline;

  @Option(names = "--input", split = ",", paramLabel = "TOPIC", description = "Feed topics, comma-separated (default: pulse.<pipeline>.posts).")
  List<String> input;

  @Option(names = "--scored-topic") String scoredTopic;
  @Option(names = "--aggregates-topic") String aggregatesTopic;
  @Option(names = "--alerts-topic") String alertsTopic;
  @Option(names = "--dead-letter-topic") String deadLetterTopic;

  @Option(names = "--trigger-interval", defaultValue = "1s", description = "Micro-batch interval, or real-time mode's checkpoint interval (default: ${DEFAULT-VALUE}).")
  String triggerInterval;

  @Option(names = "--trigger-mode", defaultValue = "MicroBatch", description = "MicroBatch or RealTime (the scored-posts query; default: ${DEFAULT-VALUE}).")
  String triggerMode;

  @Option(names = "--watermark", defaultValue = "10m", description = "Dedup watermark (default: ${DEFAULT-VALUE}).")
  String watermark;

  @Option(names = "--checkpoint", paramLabel = "DIR", description = "Checkpoint location (default: a new temporary directory).")
  String checkpoint;

  @Option(names = "--scoring-tier", defaultValue = "fast", description = "fast (lexicon + MiniLM learned tier), full (fast + fine-tuned e5-small-v2, a second pass: under half the posts/s) or lexicon (default: ${DEFAULT-VALUE}).")
  String scoringTier;

  @Option(names = "--escalation-threshold", defaultValue = "0.6", description = "Posts under this confidence go to the LLM gateway (default: ${DEFAULT-VALUE}).")
  double escalationThreshold;

  @Option(names = "--gateway-url", description = "LLM gateway root, e.g. http://localhost:8090 (default: no escalation).")
  String gatewayUrl;

  @Option(names = "--llm-timeout", defaultValue = "2s", description = "Per gateway request (default: ${DEFAULT-VALUE}).")
  String llmTimeout;

  @Option(names = "--vector-store", description = "qdrant, memory or none (default: qdrant with --qdrant-host, else memory).")
  String vectorStore;

  @Option(names = "--qdrant-host") String qdrantHost;
  @Option(names = "--qdrant-port", defaultValue = "6334") int qdrantPort;
  @Option(names = "--qdrant-tls") boolean qdrantTls;
  @Option(names = "--qdrant-collection", defaultValue = "pulse-posts") String qdrantCollection;

  @Option(names = "--crisis-window", defaultValue = "5m") String crisisWindow;
  @Option(names = "--crisis-min-volume", defaultValue = "50") long crisisMinVolume;
  @Option(names = "--crisis-negative-ratio", defaultValue = "0.6") double crisisNegativeRatio;
  @Option(names = "--crisis-spike-factor", defaultValue = "3.0") double crisisSpikeFactor;

  @Option(names = "--glossary", paramLabel = "JSON_FILE", description = "Glossary as the CRD has it: {\"terms\":[{\"term\",\"polarity\"}],\"crisisKeywords\":[…]}.")
  Path glossary;

  @Option(names = "--checkpoint-interval", defaultValue = "30s", description = "Real-time mode: how often the scoring query checkpoints its offsets (at least 5s; default: ${DEFAULT-VALUE}).")
  String checkpointInterval;

  @Option(names = "--embedding-model", defaultValue = "int8", description = "int8 (quantised, the default: about twice as fast) or fp32.")
  String embeddingModel;

  @Option(names = "--embedding-max-tokens", defaultValue = "256", description = "Word pieces embedded per post; longer texts are cut (default: ${DEFAULT-VALUE}).")
  int embeddingMaxTokens;

  @Option(names = "--embedding-cache", defaultValue = "10000", description = "Texts whose vectors are kept for reposts; 0 = off (default: ${DEFAULT-VALUE}).")
  int embeddingCache;

  @Option(names = "--conf", paramLabel = "KEY=VALUE", description = "Any other Spark or spark.pulse.* setting.")
  Map<String, String> conf = new LinkedHashMap<>();

  @Option(names = "--master", defaultValue = "local[*]", description = "Spark master (default: ${DEFAULT-VALUE}).")
  String master;

  @Option(names = "--available-now", description = "Process what is in the topics, then stop.")
  boolean availableNow;

  @Spec CommandSpec spec;

  /** The spark.pulse.* keys these options stand for. */
  Map<String, String> pulseConf() throws Exception {
    Map<String, String> c = new LinkedHashMap<>();
    String topicBase = "pulse." + pipeline + ".";
    c.put("spark.pulse.pipeline", pipeline);
    c.put("spark.pulse.kafka.bootstrapServers", bootstrapServers);
    c.put("spark.pulse.topics.input", String.join(",", input == null ? List.of(topicBase + "posts") : input));
    c.put("spark.pulse.topics.scored", or(scoredTopic, topicBase + "scored"));
    c.put("spark.pulse.topics.aggregates", or(aggregatesTopic, topicBase + "aggregates"));
    c.put("spark.pulse.topics.alerts", or(alertsTopic, topicBase + "alerts"));
    c.put("spark.pulse.topics.deadLetters", or(deadLetterTopic, topicBase + "dead-letters"));
    c.put("spark.pulse.trigger.interval", triggerInterval);
    c.put("spark.pulse.trigger.mode", triggerMode);
    c.put("spark.pulse.trigger.checkpointInterval", checkpointInterval);
    c.put("spark.pulse.watermark", watermark);
    c.put("spark.pulse.checkpointLocation",
        checkpoint != null ? checkpoint : Files.createTempDirectory("pulse-spark-").toUri().toString());
    c.put("spark.pulse.scoring.tier", scoringTier);
    c.put("spark.pulse.scoring.escalationThreshold", String.valueOf(escalationThreshold));
    c.put("spark.pulse.embedding.model", embeddingModel);
    c.put("spark.pulse.embedding.maxTokens", String.valueOf(embeddingMaxTokens));
    c.put("spark.pulse.embedding.cacheSize", String.valueOf(embeddingCache));
    c.put("spark.pulse.crisis.window", crisisWindow);
    c.put("spark.pulse.crisis.minVolume", String.valueOf(crisisMinVolume));
    c.put("spark.pulse.crisis.negativeRatio", String.valueOf(crisisNegativeRatio));
    c.put("spark.pulse.crisis.spikeFactor", String.valueOf(crisisSpikeFactor));
    if (glossary != null) c.put("spark.pulse.glossary", Files.readString(glossary));
    if (gatewayUrl != null) {
      c.put("spark.pulse.llm.gatewayUrl", gatewayUrl);
      c.put("spark.pulse.llm.timeout", llmTimeout);
    }
    if (qdrantHost != null) {
      c.put("spark.pulse.qdrant.host", qdrantHost);
      c.put("spark.pulse.qdrant.grpcPort", String.valueOf(qdrantPort));
      c.put("spark.pulse.qdrant.tls", String.valueOf(qdrantTls));
      c.put("spark.pulse.qdrant.collection", qdrantCollection);
    }
    c.put("spark.pulse.vectorStore", or(vectorStore, qdrantHost != null ? "qdrant" : "memory"));
    c.putAll(conf);
    return c;
  }

  @Override
  public Integer call() throws Exception {
    PipelineSettings settings;
    Map<String, String> all;
    try {
      all = pulseConf();
      settings = PipelineSettings.from(all);
    } catch (IllegalArgumentException | java.io.IOException e) {
      spec.commandLine().getErr().println("pulse spark: " + e.getMessage());
      return 2;
    }
    List<String> topics = new ArrayList<>(settings.inputTopics());
    topics.addAll(List.of(settings.scoredTopic(), settings.aggregatesTopic(), settings.alertsTopic(),
        settings.deadLetterTopic()));
    KafkaTopics.ensure(settings.bootstrapServers(), topics, 1);
    SparkSession spark = localSession(master, all);
    List<StreamingQuery> queries = SentimentStreamingJob.start(spark, settings, availableNow);
    spec.commandLine().getOut().printf("pulse spark: pipeline %s running (%s), reading %s, writing %s%n",
        settings.pipeline(), master, settings.inputTopics(), settings.scoredTopic());
    if (availableNow) {
      for (StreamingQuery q : queries) q.awaitTermination();
    } else {
      spark.streams().awaitAnyTermination();
    }
    spark.stop();
    return 0;
  }

  /** A local-mode session: no UI, few shuffle partitions (one machine), the given settings. */
  static SparkSession localSession(String master, Map<String, String> conf) {
    SparkSession.Builder b = SparkSession.builder().master(master).appName("pulse-spark-local")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "2")
        .config("spark.driver.host", "127.0.0.1");
    conf.forEach(b::config);
    return b.getOrCreate();
  }

  private static String or(String v, String dflt) {
    return v != null ? v : dflt;
  }
}
