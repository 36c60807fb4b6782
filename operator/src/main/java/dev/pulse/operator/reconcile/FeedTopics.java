package dev.pulse.operator.reconcile;

import dev.pulse.crd.v1alpha1.SourceFeed;

/** Kafka topic names the operator derives from resources. */
public final class FeedTopics {

  private FeedTopics() {}

  /** The feed's topic: spec.kafka.topic, or pulse.feed.&lt;namespace&gt;.&lt;name&gt;. */
  public static String topicFor(SourceFeed feed) {
    String explicit = feed.getSpec().getKafka() == null ? null : feed.getSpec().getKafka().getTopic();
    if (explicit != null && !explicit.isBlank()) {
      return explicit;
    }
    return "pulse.feed." + feed.getMetadata().getNamespace() + "." + feed.getMetadata().getName();
  }
}
