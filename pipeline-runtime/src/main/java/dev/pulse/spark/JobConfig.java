package dev.pulse.spark;

import java.time.Duration;
import java.util.List;

/**
 * What one pipeline's scored-posts query reads and writes. {@code trigger} null = as fast as micro-batches go;
 * {@code availableNow} processes what is in the topics and stops (tests, backfills); {@code realTime} runs the
 * query in Spark 4.1's real-time mode (stateless: no dedup step), {@code trigger} then being the checkpoint interval.
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
    boolean realTime) {

  public JobConfig(String bootstrapServers, List<String> feedTopics, String scoredTopic, String deadLetterTopic,
      String checkpointLocation, Duration dedupWatermark, Duration trigger, boolean availableNow) {
    this(bootstrapServers, feedTopics, scoredTopic, deadLetterTopic, checkpointLocation, dedupWatermark, trigger,
        availableNow, false);
  }
}
