package dev.pulse.spark;

import dev.pulse.stream.RecentIds;

import java.time.Duration;
import java.util.List;

/**
 * What one pipeline's scored-posts query reads and writes. {@code trigger} null = as fast as micro-batches go;
 * {@code availableNow} processes what is in the topics and stops (tests, backfills); {@code realTime} runs the
 * query in Spark 4.1's real-time mode (stateless: dedup by {@link RecentIds} instead of Spark's state store),
 * {@code trigger} then being the checkpoint interval. {@code dedupMaxIds}: the most post ids real-time mode's dedup
 * holds per executor JVM (it also forgets those older than {@code dedupWatermark}). {@code kafkaSecurity}: the
 * {@code kafka.}-prefixed TLS/SASL options of the source and the sink ({@link dev.pulse.contract.KafkaClientEnv#sparkOptions}); empty = PLAINTEXT.
 */
public record JobConfig(
    String bootstrapServers,
    List<String> feedTopics,
    String scoredTopic,
    String deadLetterTopic,
    String checkpointLocation,
    Duration dedupWatermark,
    Duration trigger,
    boolean availableNow,
    boolean realTime,
    int dedupMaxIds,
    java.util.Map<String, String> kafkaSecurity) {

  public JobConfig {
    kafkaSecurity = kafkaSecurity == null ? java.util.Map.of() : java.util.Map.copyOf(kafkaSecurity);
  }

  public JobConfig(String bootstrapServers, List<String> feedTopics, String scoredTopic, String deadLetterTopic,
      String checkpointLocation, Duration dedupWatermark, Duration trigger, boolean availableNow, boolean realTime,
      int dedupMaxIds) {
    this(bootstrapServers, feedTopics, scoredTopic, deadLetterTopic, checkpointLocation, dedupWatermark, trigger,
        availableNow, realTime, dedupMaxIds, java.util.Map.of());
  }

  /** Ids real-time mode's dedup keeps by default: {@link RecentIds#DEFAULT_MAX_IDS}. */
  public static final int DEFAULT_DEDUP_MAX_IDS = RecentIds.DEFAULT_MAX_IDS;

  public JobConfig(String bootstrapServers, List<String> feedTopics, String scoredTopic, String deadLetterTopic,
      String checkpointLocation, Duration dedupWatermark, Duration trigger, boolean availableNow, boolean realTime) {
    this(bootstrapServers, feedTopics, scoredTopic, deadLetterTopic, checkpointLocation, dedupWatermark, trigger,
        availableNow, realTime, DEFAULT_DEDUP_MAX_IDS);
  }

  public JobConfig(String bootstrapServers, List<String> feedTopics, String scoredTopic, String deadLetterTopic,
      String checkpointLocation, Duration dedupWatermark, Duration trigger, boolean availableNow) {
    this(bootstrapServers, feedTopics, scoredTopic, deadLetterTopic, checkpointLocation, dedupWatermark, trigger,
        availableNow, false);
  }
}
