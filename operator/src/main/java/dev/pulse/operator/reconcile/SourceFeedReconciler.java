package dev.pulse.operator.reconcile;

import dev.pulse.crd.common.PulseCondition;
import dev.pulse.crd.v1alpha1.SourceFeed;
import dev.pulse.crd.v1alpha1.SourceFeedStatus;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import java.time.Clock;
import java.util.List;
import java.util.Objects;

/**
 * Reconciles a SourceFeed. This release validates and reports; creating the KafkaTopic and the ingester
 * Deployment is the next step of the operator (see the project's issues), and the status says so.
 */
@ControllerConfiguration(name = "sourcefeed")
public class SourceFeedReconciler extends FoundationReconciler<SourceFeed, SourceFeedStatus> {

  public SourceFeedReconciler() {
    this(Clock.systemUTC());
  }

  SourceFeedReconciler(Clock clock) {
    super(clock, SourceFeedStatus::new);
  }

  @Override
  protected List<PulseCondition> observe(SourceFeed feed, SourceFeedStatus status) {
    status.setTopic(FeedTopics.topicFor(feed));
    return List.of(Conditions.of("Ready", false, "NotYetReconciled",
        "The spec is valid; this operator version does not create the KafkaTopic and ingester for "
            + feed.getSpec().getType() + " feeds yet, so no posts flow from it."));
  }

  @Override
  protected boolean sameExtraStatus(SourceFeedStatus previous, SourceFeedStatus next) {
    return Objects.equals(previous.getTopic(), next.getTopic())
        && Objects.equals(previous.getIngesterReadyReplicas(), next.getIngesterReadyReplicas());
  }
}
