package dev.pulse.operator.reconcile;

import dev.pulse.crd.common.PulseCondition;
import dev.pulse.crd.v1alpha1.SentimentPipeline;
import dev.pulse.crd.v1alpha1.SentimentPipelineStatus;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import java.time.Clock;
import java.util.List;
import java.util.Objects;

/** Reconciles a SentimentPipeline. Its parts come with the operator issue; the status says so. */
@ControllerConfiguration(name = "sentimentpipeline")
public class SentimentPipelineReconciler extends FoundationReconciler<SentimentPipeline, SentimentPipelineStatus> {

  public SentimentPipelineReconciler() {
    this(Clock.systemUTC());
  }

  SentimentPipelineReconciler(Clock clock) {
    super(clock, SentimentPipelineStatus::new);
  }

  @Override
  protected List<PulseCondition> observe(SentimentPipeline pipeline, SentimentPipelineStatus status) {
    status.setPhase(pipeline.getSpec().suspendedOrFalse()
        ? SentimentPipelineStatus.Phase.Suspended : SentimentPipelineStatus.Phase.Pending);
    return List.of(Conditions.of("Ready", false, "NotYetReconciled",
        "The spec is valid; this operator version does not create the pipeline's topics, Spark application, "
            + "LLM, vector store collection or dashboard yet."));
  }

  @Override
  protected boolean sameExtraStatus(SentimentPipelineStatus previous, SentimentPipelineStatus next) {
    return previous.getPhase() == next.getPhase() && Objects.equals(previous.getFeedCount(), next.getFeedCount());
  }
}
