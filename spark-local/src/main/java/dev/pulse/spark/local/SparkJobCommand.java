package dev.pulse.spark.local;

import static dev.pulse.contract.SparkJobOptions.*;

import dev.pulse.contract.ConfigOption;
import dev.pulse.contract.SparkJobOptions;
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
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;
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
    defaultValueProvider = SparkJobCommand.ContractDefaults.class,
    sortOptions = false,
    description = {
        "Runs the Spark Structured Streaming job in local mode: feed topics → parse/clean (invalid → dead letters) → "
            + "dedup → light scoring → LLM escalation → embeddings + vector store → scored topic; and windowed "
            + "aggregates and alerts. What the operator runs as a SparkApplication (main class "
            + "dev.pulse.spark.SentimentStreamingJob), configured the same way."})
public final class SparkJobCommand implements Callable<Integer> {

  /** The defaults of the options that stand for one setting: the contract's ({@link SparkJobOptions}), not a copy. */
  public static final class ContractDefaults implements IDefaultValueProvider {
    private static final Map<String, ConfigOption<?>> BY_OPTION = Map.ofEntries(
        Map.entry("--trigger-interval", TRIGGER_INTERVAL), Map.entry("--watermark", WATERMARK),
        Map.entry("--scoring-tier", SCORING_TIER), Map.entry("--escalation-threshold", ESCALATION_THRESHOLD),
        Map.entry("--llm-timeout", LLM_TIMEOUT), Map.entry("--qdrant-port", QDRANT_PORT),
        Map.entry("--qdrant-collection", QDRANT_COLLECTION), Map.entry("--crisis-window", CRISIS_WINDOW),
        Map.entry("--crisis-min-volume", CRISIS_MIN_VOLUME), Map.entry("--crisis-negative-ratio", CRISIS_NEGATIVE_RATIO),
        Map.entry("--crisis-spike-factor", CRISIS_SPIKE_FACTOR), Map.entry("--checkpoint-interval", CHECKPOINT_INTERVAL),
        Map.entry("--embedding-model", EMBEDDING_MODEL), Map.entry("--embedding-max-tokens", EMBEDDING_MAX_TOKENS),
        Map.entry("--embedding-cache", EMBEDDING_CACHE_SIZE));

    @Override
    public String defaultValue(ArgSpec arg) {
      if (!(arg instanceof OptionSpec o)) return null;
      ConfigOption<?> option = BY_OPTION.get(o.longestName());
      return option == null ? null : formatted(option);
    }

    private static <T> String formatted(ConfigOption<T> option) {
      return option.type().format().apply(option.defaultValue());
    }
  }

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

  @Option(names = "--trigger-interval", description = "Micro-batch interval, or real-time mode's checkpoint interval (default: ${DEFAULT-VALUE}).")
  String triggerInterval;

  @Option(names = "--trigger-mode", defaultValue = "MicroBatch", description = "MicroBatch or RealTime (the scored-posts query; default: ${DEFAULT-VALUE}).")
  String triggerMode;

  @Option(names = "--watermark", description = "Dedup watermark (default: ${DEFAULT-VALUE}).")
  String watermark;

  @Option(names = "--checkpoint", paramLabel = "DIR", description = "Checkpoint location (default: a new temporary directory).")
  String checkpoint;

  @Option(names = "--scoring-tier", description = "fast (lexicon + MiniLM learned tier), full (fast + fine-tuned e5-small-v2, a second pass: under half the posts/s) or lexicon (default: ${DEFAULT-VALUE}).")
  String scoringTier;

  @Option(names = "--escalation-threshold", description = "Posts under this confidence go to the LLM gateway (default: ${DEFAULT-VALUE}).")
  String escalationThreshold;

  @Option(names = "--gateway-url", description = "LLM gateway root, e.g. http://localhost:8090 (default: no escalation).")
  String gatewayUrl;

  @Option(names = "--llm-timeout", description = "Per gateway request (default: ${DEFAULT-VALUE}).")
  String llmTimeout;

  @Option(names = "--vector-store", description = "qdrant, memory or none (default: qdrant with --qdrant-host, else memory).")
  String vectorStore;

  @Option(names = "--qdrant-host") String qdrantHost;
  @Option(names = "--qdrant-port") String qdrantPort;
  @Option(names = "--qdrant-tls") boolean qdrantTls;
  @Option(names = "--qdrant-collection") String qdrantCollection;

  @Option(names = "--crisis-window") String crisisWindow;
  @Option(names = "--crisis-min-volume") String crisisMinVolume;
  @Option(names = "--crisis-negative-ratio") String crisisNegativeRatio;
  @Option(names = "--crisis-spike-factor") String crisisSpikeFactor;

  @Option(names = "--glossary", paramLabel = "JSON_FILE", description = "Glossary as the CRD has it: {\"terms\":[{\"term\",\"polarity\"}],\"crisisKeywords\":[…]}.")
  Path glossary;

  @Option(names = "--checkpoint-interval", description = "Real-time mode: how often the scoring query checkpoints its offsets (at least 5s; default: ${DEFAULT-VALUE}).")
  String checkpointInterval;

  @Option(names = "--embedding-model", description = "int8 (quantised, the default: about twice as fast) or fp32.")
  String embeddingModel;

  @Option(names = "--embedding-max-tokens", description = "Word pieces embedded per post; longer texts are cut (default: ${DEFAULT-VALUE}).")
  String embeddingMaxTokens;

  @Option(names = "--embedding-cache", description = "Texts whose vectors are kept for reposts; 0 = off (default: ${DEFAULT-VALUE}).")
  String embeddingCache;

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
    PIPELINE.write(c, pipeline);
    BOOTSTRAP_SERVERS.write(c, bootstrapServers);
    INPUT_TOPICS.write(c, input == null ? List.of(topicBase + "posts") : input);
    SCORED_TOPIC.write(c, or(scoredTopic, topicBase + "scored"));
    AGGREGATES_TOPIC.write(c, or(aggregatesTopic, topicBase + "aggregates"));
    ALERTS_TOPIC.write(c, or(alertsTopic, topicBase + "alerts"));
    DEAD_LETTER_TOPIC.write(c, or(deadLetterTopic, topicBase + "dead-letters"));
    TRIGGER_INTERVAL.writeText(c, triggerInterval);
    TRIGGER_MODE.writeText(c, triggerMode);
    CHECKPOINT_INTERVAL.writeText(c, checkpointInterval);
    WATERMARK.writeText(c, watermark);
    CHECKPOINT_LOCATION.write(c,
        checkpoint != null ? checkpoint : Files.createTempDirectory("pulse-spark-").toUri().toString());
    SCORING_TIER.writeText(c, scoringTier);
    ESCALATION_THRESHOLD.writeText(c, escalationThreshold);
    EMBEDDING_MODEL.writeText(c, embeddingModel);
    EMBEDDING_MAX_TOKENS.writeText(c, embeddingMaxTokens);
    EMBEDDING_CACHE_SIZE.writeText(c, embeddingCache);
    CRISIS_WINDOW.writeText(c, crisisWindow);
    CRISIS_MIN_VOLUME.writeText(c, crisisMinVolume);
    CRISIS_NEGATIVE_RATIO.writeText(c, crisisNegativeRatio);
    CRISIS_SPIKE_FACTOR.writeText(c, crisisSpikeFactor);
    if (glossary != null) GLOSSARY.write(c, Files.readString(glossary));
    if (gatewayUrl != null) {
      LLM_GATEWAY_URL.write(c, gatewayUrl);
      LLM_TIMEOUT.writeText(c, llmTimeout);
    }
    if (qdrantHost != null) {
      QDRANT_HOST.write(c, qdrantHost);
      QDRANT_PORT.writeText(c, qdrantPort);
      QDRANT_TLS.write(c, qdrantTls);
      QDRANT_COLLECTION.writeText(c, qdrantCollection);
    }
    VECTOR_STORE.writeText(c, or(vectorStore, qdrantHost != null ? "qdrant" : "memory"));
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
