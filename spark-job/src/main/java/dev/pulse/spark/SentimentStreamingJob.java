package dev.pulse.spark;

import dev.pulse.stream.InMemoryVectorSink;
import dev.pulse.stream.LightPostScorer;
import dev.pulse.stream.LlmEscalator;
import dev.pulse.stream.PipelineSettings;
import dev.pulse.stream.PostProcessor;
import dev.pulse.stream.QdrantVectorSink;
import dev.pulse.stream.VectorSink;

import dev.pulse.contract.KafkaClientEnv;
import dev.pulse.scoring.SentimentScorer;
import dev.pulse.spark.k8s.DriverConf;
import dev.pulse.spark.k8s.InputTopics;
import dev.pulse.spark.k8s.KubernetesExecutor;
import dev.pulse.spark.k8s.SubmittedDriver;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.jdk.javaapi.CollectionConverters;

/**
 * The Spark application the operator submits ({@code mainClass} of its SparkApplication): reads
 * {@link PipelineSettings} from the {@code spark.pulse.*} keys of its Spark conf and runs two queries until one
 * fails: the scored-posts query (micro-batch, or real-time mode when asked) and the aggregates-and-alerts query
 * (micro-batch). Each has its own checkpoint under the pipeline's checkpoint location.
 */
public final class SentimentStreamingJob {
  private static final Logger LOG = LoggerFactory.getLogger(SentimentStreamingJob.class);

  private SentimentStreamingJob() {}

  public static void main(String[] args) throws Exception {
    if (args.length > 0 && KubernetesExecutor.MODE.equals(args[0])) {
      // An executor pod created by the driver's Kubernetes scheduler backend (launcher Native).
      KubernetesExecutor.run(System.getenv());
      return;
    }
    SparkSession.Builder builder = SparkSession.builder().appName("pulse-sentiment");
    Map<String, String> given = new java.util.HashMap<>();
    // A driver pod of the operator's (launcher Native) reads its conf from a mounted file; under spark-submit (a
    // SparkApplication, ./pulse spark) there is none and the conf comes from the command line as before.
    given.putAll(DriverConf.fromEnvironment(System.getenv()));
    if (args.length > 0 && SubmittedDriver.MODE.equals(args[0])) {
      // A driver pod that the Spark operator's spark-submit created (launcher SparkOperator).
      given.putAll(SubmittedDriver.conf(java.util.List.of(args), System.getenv()));
    }
    given.forEach(builder::config);
    // spark-submit passes its conf as system properties, which SparkConf reads too.
    LatencyConf.missing(k -> given.containsKey(k) || System.getProperty(k) != null).forEach((k, v) -> {
      LOG.info("{} not set: {}", k, v);
      builder.config(k, v);
    });
    SparkSession spark = builder.getOrCreate();
    Map<String, String> conf = CollectionConverters.asJava(spark.conf().getAll());
    ShufflePartitions.missing(conf).ifPresent(n -> {
      LOG.info("{} not set: {} (one per executor task slot)", ShufflePartitions.KEY, n);
      spark.conf().set(ShufflePartitions.KEY, n);
    });
    PipelineSettings settings = PipelineSettings.from(conf);
    // TLS/SASL from the operator's PULSE_KAFKA_* variables (spec.kafka.security); none: PLAINTEXT.
    Map<String, String> kafkaSecurity = KafkaClientEnv.clientProperties(System::getenv);
    List<String> missing = InputTopics.await(settings.bootstrapServers(), kafkaSecurity, settings.inputTopics(),
        java.time.Duration.ofMinutes(10));
    if (!missing.isEmpty()) {
      LOG.warn("feed topic(s) {} still missing after 10 minutes; starting anyway", missing);
    }
    // A line per batch that read rows or ran long: what a latency figure on a cluster is made of.
    spark.streams().addListener(new BatchProgressLog(Math.max(2_000L, 2 * settings.triggerInterval().toMillis())));
    List<String> read = new java.util.ArrayList<>(settings.inputTopics());
    read.add(settings.scoredTopic()); // the aggregates query's input
    try {
      spark.streams().addListener(LostOffsets.of(settings.pipeline(), settings.bootstrapServers(), kafkaSecurity,
          read));
    } catch (RuntimeException e) {
      LOG.warn("lost offsets will not be counted: {}", e.toString()); // a report only: never a reason to stop
    }
    new QuerySupervisor(spark, starters(spark, settings, false, KafkaClientEnv.sparkOptions(System::getenv)),
        new QuerySupervisor.RestartBudget(5, java.time.Duration.ofMinutes(10), java.time.Clock.systemUTC()),
        java.time.Duration.ofSeconds(2)).run();
  }

  /** Starts both queries; {@code availableNow} processes what is in the topics and stops (tests, backfills). */
  public static List<StreamingQuery> start(SparkSession spark, PipelineSettings s, boolean availableNow)
      throws TimeoutException {
    return start(spark, s, availableNow, Map.of());
  }

  /**
   * As {@link #start(SparkSession, PipelineSettings, boolean)}, the Kafka source and sink with {@code kafkaOptions}
   * ({@link KafkaClientEnv#sparkOptions}: TLS/SASL, {@code kafka.}-prefixed).
   */
  public static List<StreamingQuery> start(SparkSession spark, PipelineSettings s, boolean availableNow,
      Map<String, String> kafkaOptions) throws TimeoutException {
    List<StreamingQuery> queries = new java.util.ArrayList<>();
    for (QuerySupervisor.Starter starter : starters(spark, s, availableNow, kafkaOptions).values()) {
      queries.add(starter.start());
    }
    return List.copyOf(queries);
  }

  /** How to start each query, by name: the scored-posts query first, then the aggregates-and-alerts query. */
  static Map<String, QuerySupervisor.Starter> starters(SparkSession spark, PipelineSettings s, boolean availableNow,
      Map<String, String> kafkaOptions) {
    LOG.info("pipeline {}: {} feed topic(s) → {}; trigger {} {}; {}; escalation {} below {}; vectors → {}",
        s.pipeline(), s.inputTopics().size(), s.scoredTopic(), s.triggerMode(), s.triggerInterval(), s.embedding(),
        s.gatewayUrl() == null ? "off" : "to " + s.gatewayUrl(), s.escalationThreshold(), s.vectorStore());
    String base = s.checkpointLocation().endsWith("/") ? s.checkpointLocation() : s.checkpointLocation() + "/";
    JobConfig scored = new JobConfig(s.bootstrapServers(), s.inputTopics(), s.scoredTopic(), s.deadLetterTopic(),
        base + "scored-posts", s.watermark(), s.realTime() ? s.checkpointInterval() : s.triggerInterval(),
        availableNow, s.realTime() && !availableNow,
        s.dedupMaxIds(), kafkaOptions);
    AggregatesJob.Config aggregates = new AggregatesJob.Config(s.bootstrapServers(), s.scoredTopic(),
        s.aggregatesTopic(), s.alertsTopic(), base + "aggregates", s.aggregatesLateness(), s.triggerInterval(),
        availableNow, kafkaOptions);
    Map<String, QuerySupervisor.Starter> starters = new java.util.LinkedHashMap<>();
    // Each query in its own FAIR pool (LatencyConf): its thread inherits the pool from the thread that starts it.
    starters.put("scored-posts", () -> {
      spark.sparkContext().setLocalProperty(LatencyConf.POOL, "scored-posts");
      return ScoredPostsJob.start(spark, scored, processor(s));
    });
    starters.put("aggregates-alerts", () -> {
      spark.sparkContext().setLocalProperty(LatencyConf.POOL, "aggregates-alerts");
      return AggregatesJob.start(spark, aggregates, s.alertRule());
    });
    return starters;
  }

  static PostProcessor processor(PipelineSettings s) {
    return PostProcessor.of(s);
  }

}
