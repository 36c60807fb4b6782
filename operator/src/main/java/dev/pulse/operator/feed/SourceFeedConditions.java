package dev.pulse.operator.feed;

import dev.pulse.crd.common.PulseCondition;
import dev.pulse.crd.v1alpha1.SourceFeed;
import dev.pulse.operator.kafka.TopicsOutcome;
import dev.pulse.operator.support.Conditions;
import dev.pulse.operator.support.FeedTopics;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import io.strimzi.api.kafka.model.common.Condition;
import io.strimzi.api.kafka.model.topic.KafkaTopic;
import java.util.List;
import java.util.Optional;

/**
 * A SourceFeed's conditions, read from its owned objects as their controllers report them: the KafkaTopic's
 * Ready condition (Strimzi's topic operator) and the ingester Deployment's available replicas. Pure functions.
 */
public final class SourceFeedConditions {

  public static final String TOPIC = "Topic";
  public static final String INGESTER = "Ingester";
  public static final String READY = "Ready";

  private SourceFeedConditions() {}

  public static PulseCondition topic(KafkaTopic topic) {
    return topic(topic, topic.getApiVersion());
  }

  /** As {@link #topic(KafkaTopic)} for a KafkaTopic served in {@code apiVersion} (v1beta2 before Strimzi 0.49). */
  public static PulseCondition topic(KafkaTopic topic, String apiVersion) {
    String name = topic.getMetadata().getName();
    String cluster = topic.getMetadata().getLabels().get(SourceFeedObjects.STRIMZI_CLUSTER_LABEL);
    Optional<Condition> ready = topic.getStatus() == null || topic.getStatus().getConditions() == null
        ? Optional.empty()
        : topic.getStatus().getConditions().stream().filter(c -> "Ready".equals(c.getType())).findFirst();
    // Which KafkaTopic version the cluster's Strimzi serves (v1 from 0.49, else v1beta2): said in the message.
    String kind = "KafkaTopic " + apiVersion;
    if (ready.isEmpty()) {
      return Conditions.of(TOPIC, false, "TopicPending", "Waiting for Strimzi's topic operator to create topic "
          + name + " in Kafka cluster " + cluster + " (" + kind + " has no Ready condition yet: is the cluster "
          + "running, with an Entity Operator that watches this namespace?)");
    }
    long observed = topic.getStatus().getObservedGeneration();
    Long generation = topic.getMetadata().getGeneration();
    if ("True".equals(ready.get().getStatus())) {
      if (observed > 0 && generation != null && observed < generation) {
        return Conditions.of(TOPIC, false, "TopicProgressing", "Strimzi has not yet applied the latest settings of "
            + "topic " + name);
      }
      return Conditions.of(TOPIC, true, "TopicReady", "Topic " + name + " is ready in Kafka cluster " + cluster
          + " (" + kind + ")");
    }
    String reason = ready.get().getReason() == null || ready.get().getReason().isBlank() ? "TopicNotReady"
        : "Topic" + ready.get().getReason();
    return Conditions.of(TOPIC, false, reason, "Strimzi reports topic " + name + " not ready: "
        + Optional.ofNullable(ready.get().getMessage()).orElse("no message"));
  }

  /** The reason of a Strimzi-backed resource in a cluster that serves no KafkaTopic CRD. */
  public static final String STRIMZI_NOT_INSTALLED = "StrimziNotInstalled";

  /** The Topic condition of a feed on a Strimzi cluster when the cluster serves no KafkaTopic (no Strimzi CRDs). */
  public static PulseCondition strimziNotInstalled(SourceFeed feed) {
    return Conditions.of(TOPIC, false, STRIMZI_NOT_INSTALLED, "spec.kafka.clusterName names a Strimzi cluster ("
        + feed.getSpec().getKafka().getClusterName() + ") but no KafkaTopic CRD (kafka.strimzi.io) is served, so topic "
        + FeedTopics.topicFor(feed) + " cannot be requested; install Strimzi >= 0.49 or set kafka.bootstrapServers. "
        + "The ingester is deployed regardless; the operator looks again every minute.");
  }

  /** The Topic condition of a feed on a Kafka without Strimzi, from what the Admin API found. */
  public static PulseCondition topic(SourceFeed feed, TopicsOutcome outcome) {
    return outcome.firstProblem()
        .map(p -> Conditions.of(TOPIC, false, p.reason(), p.message()))
        .orElseGet(() -> Conditions.of(TOPIC, true, TopicsOutcome.READY, outcome.topics().get(0).message()
            + " (managed by the operator through the Kafka Admin API)"));
  }

  public static PulseCondition ingester(SourceFeed feed, Deployment deployment) {
    String name = SourceFeedObjects.ingesterName(feed);
    if (SourceFeedObjects.suspended(feed)) {
      return Conditions.of(INGESTER, false, "Suspended", "spec.suspend is true: ingester " + name
          + " is scaled to 0; the topic and its data stay. Set spec.suspend to false to resume from the saved cursor.");
    }
    int available = deployment == null || deployment.getStatus() == null
        || deployment.getStatus().getAvailableReplicas() == null ? 0 : deployment.getStatus().getAvailableReplicas();
    if (available > 0) {
      return Conditions.of(INGESTER, true, "IngesterAvailable", "Ingester " + name + " is running ("
          + feed.getSpec().getType() + ")");
    }
    Optional<DeploymentCondition> stuck = deployment == null || deployment.getStatus() == null
        ? Optional.empty()
        : deployment.getStatus().getConditions().stream()
            .filter(c -> "Progressing".equals(c.getType()) && "False".equals(c.getStatus())).findFirst();
    if (stuck.isPresent()) {
      return Conditions.of(INGESTER, false, "IngesterFailed", "Ingester " + name + " is not progressing: "
          + stuck.get().getMessage() + " (kubectl describe deployment " + name + ")");
    }
    return Conditions.of(INGESTER, false, "IngesterPending", "Waiting for ingester " + name
        + " to become available. It is ready once a poll has reached Kafka within spec.staleAfter; a source that keeps "
        + "failing (credentials, feed URLs, Kafka) keeps it unavailable: kubectl logs deployment/" + name
        + " (its /readyz says why)");
  }

  /** Ready: True when the topic and the ingester are; otherwise the most urgent part's reason and message. */
  public static PulseCondition ready(SourceFeed feed, List<PulseCondition> parts) {
    return Conditions.ready(parts, "Posts flow from the " + feed.getSpec().getType() + " source into topic "
        + FeedTopics.topicFor(feed));
  }
}
