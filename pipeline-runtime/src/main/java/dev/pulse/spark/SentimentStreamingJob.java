package dev.pulse.spark;

import dev.pulse.scoring.SentimentScorer;
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
    SparkSession spark = SparkSession.builder().appName("pulse-sentiment").getOrCreate();
    Map<String, String> conf = CollectionConverters.asJava(spark.conf().getAll());
    PipelineSettings settings = PipelineSettings.from(conf);
    start(spark, settings, false);
    spark.streams().awaitAnyTermination();
  }

  /** Starts both queries; {@code availableNow} processes what is in the topics and stops (tests, backfills). */
  public static List<StreamingQuery> start(SparkSession spark, PipelineSettings s, boolean availableNow)
      throws TimeoutException {
    LOG.info("pipeline {}: {} feed topic(s) → {}; trigger {} {}; {}; escalation {} below {}; vectors → {}",
        s.pipeline(), s.inputTopics().size(), s.scoredTopic(), s.triggerMode(), s.triggerInterval(), s.embedding(),
        s.gatewayUrl() == null ? "off" : "to " + s.gatewayUrl(), s.escalationThreshold(), s.vectorStore());
    String base = s.checkpointLocation().endsWith("/") ? s.checkpointLocation() : s.checkpointLocation() + "/";
    JobConfig scored = new JobConfig(s.bootstrapServers(), s.inputTopics(), s.scoredTopic(), s.deadLetterTopic(),
        base + "scored-posts", s.watermark(), s.realTime() ? s.checkpointInterval() : s.triggerInterval(),
        availableNow, s.realTime() && !availableNow,
        s.dedupMaxIds());
    StreamingQuery first = ScoredPostsJob.start(spark, scored, processor(s));
    AggregatesJob.Config aggregates = new AggregatesJob.Config(s.bootstrapServers(), s.scoredTopic(),
        s.aggregatesTopic(), s.alertsTopic(), base + "aggregates", s.aggregatesLateness(), s.triggerInterval(),
        availableNow);
    StreamingQuery second = AggregatesJob.start(spark, aggregates, s.alertRule());
    return List.of(first, second);
  }

  static PostProcessor processor(PipelineSettings s) {
    SentimentScorer scorer = SentimentScorer.tier(s.scorerTier(), s.glossary());
    VectorSink sink = switch (s.vectorStore()) {
      case "qdrant" -> new QdrantVectorSink(s.qdrantHost(), s.qdrantPort(), s.qdrantTls(), s.qdrantCollection(),
          s.llmTimeout().plusSeconds(3), s.qdrantBatchSize());
      case "memory" -> new InMemoryVectorSink(s.pipeline());
      default -> VectorSink.NONE;
    };
    LlmEscalator escalator = s.gatewayUrl() == null || s.escalationThreshold() <= 0 ? null
        : new LlmEscalator(s.gatewayUrl(), s.pipeline(), s.escalationThreshold(), s.llmTimeout(),
            Math.min(LlmEscalator.GATEWAY_MAX_BATCH, s.llmBatchSize()));
    return new PostProcessor(s.pipeline(), new LightPostScorer(scorer, sink.wantsVectors(), s.embedding()), escalator,
        sink);
  }
}
