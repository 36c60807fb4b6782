package dev.pulse.operator.kafka;

import java.util.List;
import java.util.Optional;

/**
 * What ensuring a resource's topics on a Kafka found and did. Either the cluster could not be asked at all
 * ({@link #problem}: unreachable, not authorized), or one result per topic. {@link #changes} are the writes made
 * this time (topic created, partitions raised, config altered): they become Normal Events, never part of a
 * condition's message, so a status does not change merely because a later reconcile had nothing to do.
 *
 * @param bootstrapServers where the topics live
 * @param problem a failure that concerns the whole cluster, or null
 * @param topics one result per requested topic (empty when {@code problem} is set)
 * @param changes what was written this time, one line each
 */
public record TopicsOutcome(String bootstrapServers, Problem problem, List<TopicResult> topics, List<Change> changes) {

  /** Reasons a condition carries; each message says what to do. */
  public static final String READY = "TopicReady";
  public static final String UNREACHABLE = "KafkaUnreachable";
  public static final String NOT_AUTHORIZED = "KafkaNotAuthorized";
  public static final String REPLICATION_TOO_HIGH = "ReplicationFactorTooHigh";
  public static final String PARTITIONS_NOT_REDUCED = "PartitionsNotReduced";
  public static final String REPLICAS_NOT_CHANGED = "ReplicationFactorNotChanged";
  public static final String REJECTED = "TopicRejected";
  public static final String ERROR = "KafkaError";

  public TopicsOutcome {
    topics = topics == null ? List.of() : List.copyOf(topics);
    changes = changes == null ? List.of() : List.copyOf(changes);
  }

  public static TopicsOutcome failed(String bootstrapServers, String reason, String message) {
    return new TopicsOutcome(bootstrapServers, new Problem(reason, message), List.of(), List.of());
  }

  /** True when the cluster answered and every topic is as asked. */
  public boolean ok() {
    return problem == null && topics.stream().allMatch(TopicResult::ok);
  }

  /** The cluster-wide problem, else the first topic that is not as asked. */
  public Optional<Problem> firstProblem() {
    if (problem != null) {
      return Optional.of(problem);
    }
    return topics.stream().filter(t -> !t.ok()).findFirst().map(t -> new Problem(t.reason(), t.message()));
  }

  /** A failure with the reason a condition carries and a message a person can act on. */
  public record Problem(String reason, String message) {}

  /**
   * One topic: ok with its actual shape, or the reason it is not as asked.
   *
   * @param partitions the topic's partitions in Kafka (0 when it does not exist)
   * @param replicas its replication factor in Kafka (0 when it does not exist)
   */
  public record TopicResult(String topic, boolean ok, String reason, String message, int partitions, int replicas) {}

  /** A write made to Kafka: reason TopicCreated, TopicPartitionsRaised or TopicConfigUpdated. */
  public record Change(String reason, String message) {}
}
