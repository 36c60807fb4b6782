package dev.pulse.operator.reconcile;

import dev.pulse.crd.common.PulseCondition;
import dev.pulse.crd.v1alpha1.ModelAdapter;
import dev.pulse.crd.v1alpha1.ModelAdapterStatus;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import java.time.Clock;
import java.util.List;
import java.util.Objects;

/** Reconciles a ModelAdapter. The training Job comes with the operator issue; the status says so. */
@ControllerConfiguration(name = "modeladapter")
public class ModelAdapterReconciler extends FoundationReconciler<ModelAdapter, ModelAdapterStatus> {

  public ModelAdapterReconciler() {
    this(Clock.systemUTC());
  }

  ModelAdapterReconciler(Clock clock) {
    super(clock, ModelAdapterStatus::new);
  }

  @Override
  protected List<PulseCondition> observe(ModelAdapter adapter, ModelAdapterStatus status) {
    status.setPhase(ModelAdapterStatus.Phase.Pending);
    return List.of(Conditions.of("Ready", false, "NotYetReconciled",
        "The spec is valid; this operator version does not start the training Job yet."));
  }

  @Override
  protected boolean sameExtraStatus(ModelAdapterStatus previous, ModelAdapterStatus next) {
    return previous.getPhase() == next.getPhase() && Objects.equals(previous.getJobName(), next.getJobName())
        && Objects.equals(previous.getAdapterPath(), next.getAdapterPath());
  }
}
