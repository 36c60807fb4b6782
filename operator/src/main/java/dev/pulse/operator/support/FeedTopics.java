package dev.pulse.operator.support;

import dev.pulse.crd.v1alpha1.SourceFeed;

/** Kafka topic names the operator derives from resources. */
public final class FeedTopics {

  /** Partitions of a feed topic when the SourceFeed does not say (the CRD's default). */
  public static final int DEFAULT_PARTITIONS = 3;

  private FeedTopics() {}

  /** Partitions of the feed's topic: spec.kafka.partitions, or the default. */
  public static int partitionsFor(SourceFeed feed) {
    Integer asked = feed.getSpec().getKafka() == null ? null : feed.getSpec().getKafka().getPartitions();
    return asked == null ? DEFAULT_PARTITIONS : asked;
  }

  /** The feed's topic: spec.kafka.topic, or pulse.feed.&lt;namespace&gt;.&lt;name&gt;. */
  public static String topicFor(SourceFeed feed) {
    String explicit = feed.getSpec().getKafka() == null ? null : feed.getSpec().getKafka().getTopic();
    if (explicit != null && !explicit.isBlank()) {
      return explicit;
    }
    // Within Kafka's 249 characters: a 253-character feed name would not fit as it is.
    return OwnedNames.topic("pulse.feed." + feed.getMetadata().getNamespace() + "." + feed.getMetadata().getName(), "");
  }
}
