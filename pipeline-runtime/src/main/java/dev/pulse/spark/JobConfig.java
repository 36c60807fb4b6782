package dev.pulse.spark;

import java.time.Duration;
import java.util.List;

/**
 * What one pipeline's job reads and writes. {@code trigger} null = as fast as micro-batches go;
 * {@code availableNow} processes what is in the topics and stops (tests, backfills).
 */
public record JobConfig(
    String bootstrapServers,
    List<String> feedTopics,
    String scoredTopic,
    String deadLetterTopic,
    String checkpointLocation,
    Duration dedupWatermark,
    Duration trigger,
    boolean availableNow) {}
