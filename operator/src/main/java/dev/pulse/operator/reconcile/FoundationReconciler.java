package dev.pulse.operator.reconcile;

import dev.pulse.crd.common.PulseCondition;
import dev.pulse.crd.common.PulseStatus;
import io.fabric8.kubernetes.client.CustomResource;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * What every Pulse reconciler does around its own logic: record the generation it acted on and the
 * conditions it computed, and write the status only when that changes anything.
 */
abstract class FoundationReconciler<R extends CustomResource<?, S>, S extends PulseStatus> implements Reconciler<R> {

  private final Clock clock;
  private final Supplier<S> newStatus;

  FoundationReconciler(Clock clock, Supplier<S> newStatus) {
    this.clock = clock;
    this.newStatus = newStatus;
  }

  /** The conditions this generation of the resource leads to; {@code Ready} first. */
  protected abstract List<PulseCondition> observe(R resource, S status);

  @Override
  public UpdateControl<R> reconcile(R resource, Context<R> context) {
    S previous = resource.getStatus();
    S next = newStatus.get();
    long generation = resource.getMetadata().getGeneration() == null ? 0 : resource.getMetadata().getGeneration();
    List<PulseCondition> computed = observe(resource, next);
    next.setConditions(Conditions.merge(previous == null ? null : previous.getConditions(), computed, generation, clock));
    next.setObservedGeneration(generation);
    if (previous != null && Objects.equals(previous.getObservedGeneration(), next.getObservedGeneration())
        && Conditions.sameConditions(previous, next) && sameExtraStatus(previous, next)) {
      return UpdateControl.noUpdate();
    }
    resource.setStatus(next);
    return UpdateControl.patchStatus(resource);
  }

  /** Kind-specific status fields beyond the conditions; compared to skip no-op writes. */
  protected abstract boolean sameExtraStatus(S previous, S next);
}
