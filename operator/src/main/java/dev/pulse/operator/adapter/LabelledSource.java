package dev.pulse.operator.adapter;

/**
 * Where a ModelAdapter's {@code spec.dataset.labelledTopic} is read from, resolved by the reconciler from the named
 * SentimentPipeline (its bootstrap servers and labelled topic), so the training Job stays a pure function of these.
 *
 * @param minPosts the fewest posts to train on (the export fails with DatasetError below it)
 */
public record LabelledSource(String bootstrapServers, String topic, int minPosts) {}
