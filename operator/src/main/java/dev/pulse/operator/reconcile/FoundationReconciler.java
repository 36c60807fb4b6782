package dev.pulse.operator.reconcile;

import dev.pulse.operator.support.Conditions;

import dev.pulse.crd.common.PulseCondition;
import dev.pulse.crd.common.PulseStatus;
import dev.pulse.operator.support.EventRecorder;
import io.fabric8.kubernetes.client.CustomResource;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.Timer;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * What every Pulse reconciler does around its own logic: record the generation it acted on and the
 * conditions it computed, write the status only when that changes anything, and record an Event for every
 * condition that changed status or reason, only once that status write succeeded: a reconcile of a stale copy
 * fails its write (optimistic locking on resourceVersion) and the retry on the fresh copy records the Event once.
 */
public abstract class FoundationReconciler<R extends CustomResource<?, S>, S extends PulseStatus> implements Reconciler<R> {

  private static final Logger log = LoggerFactory.getLogger(FoundationReconciler.class);

  private final Clock clock;
  private final Supplier<S> newStatus;
  private final EventRecorder events;
  private final java.util.concurrent.atomic.AtomicLong reconciles = new java.util.concurrent.atomic.AtomicLong();

  FoundationReconciler(Clock clock, Supplier<S> newStatus) {
    this.clock = clock;
    this.newStatus = newStatus;
    this.events = new EventRecorder(clock);
  }

  /**
   * Brings the owned objects to the desired state and returns the conditions this generation leads to, Ready
   * first. Fills kind-specific fields of {@code status}. The default calls {@link #observe(CustomResource,
   * PulseStatus)}, for reconcilers that need no cluster access.
   */
  protected List<PulseCondition> observe(R resource, S status, Context<R> context) {
    return observe(resource, status);
  }

  /** The conditions this generation leads to, without cluster access; override this or the three-argument form. */
  protected List<PulseCondition> observe(R resource, S status) {
    throw new UnsupportedOperationException(getClass().getSimpleName() + " must override one observe method");
  }

  /**
   * When to look again although no watched object changes: e.g. a referenced Secret is missing (Secrets are not
   * watched, so the operator does not cache every Secret in the cluster). Empty: only on events.
   */
  protected Optional<Duration> recheckAfter(R resource, S status) {
    return Optional.empty();
  }

  /** Backoff of retries of a failing external system (Qdrant, Kafka): from MIN_BACKOFF, doubling, up to MAX. */
  static final Duration MIN_BACKOFF = Duration.ofSeconds(5);
  static final Duration MAX_BACKOFF = Duration.ofMinutes(5);

  /**
   * How long to wait before asking a failing external system again: as long as the failure has lasted so far
   * (5s, 10s, 20s ... as seen from its condition's lastTransitionTime), at least 5 s, at most 5 minutes.
   */
  Duration backoff(PulseCondition failing) {
    Duration lasted = failing.getLastTransitionTime() == null ? Duration.ZERO
        : Duration.between(java.time.Instant.parse(failing.getLastTransitionTime()), clock.instant());
    Duration next = lasted.compareTo(MIN_BACKOFF) < 0 ? MIN_BACKOFF : lasted;
    return next.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : next;
  }

  /** An Event about {@code resource} beside the condition transitions, e.g. a topic the operator created. */
  protected void recordEvent(Context<R> context, R resource, String type, String reason, String message) {
    events.record(context.getClient(), resource, type, reason, message);
  }

  /** Reconciles run so far: lets tests and the benchmark tell a quiet resync from no resync at all. */
  public long reconcileCount() {
    return reconciles.get();
  }

  /**
   * Times each reconcile into {@code pulse.operator.reconcile} (Micrometer; Prometheus
   * {@code pulse_operator_reconcile_seconds_count/sum/max}) tagged only with the kind and the result —
   * {@code unchanged}, {@code written} or {@code error} — so the label set stays small with any number of resources.
   */
  @Override
  public UpdateControl<R> reconcile(R resource, Context<R> context) {
    reconciles.incrementAndGet();
    Timer.Sample sample = Timer.start();
    String result = "error";
    try {
      boolean[] written = {false};
      UpdateControl<R> control = reconcileOnce(resource, context, written);
      result = written[0] ? "written" : "unchanged";
      return control;
    } finally {
      sample.stop(Timer.builder("pulse.operator.reconcile").description("Reconciles of Pulse resources")
          .tag("kind", resource.getKind()).tag("result", result).register(Metrics.globalRegistry));
    }
  }

  private UpdateControl<R> reconcileOnce(R resource, Context<R> context, boolean[] written) {
    S previous = resource.getStatus();
    S next = newStatus.get();
    long generation = resource.getMetadata().getGeneration() == null ? 0 : resource.getMetadata().getGeneration();
    List<PulseCondition> computed = observe(resource, next, context);
    List<PulseCondition> before = previous == null ? null : previous.getConditions();
    next.setConditions(Conditions.merge(before, computed, generation, clock));
    next.setObservedGeneration(generation);
    Optional<Duration> recheck = recheckAfter(resource, next);
    if (previous != null && Objects.equals(previous.getObservedGeneration(), next.getObservedGeneration())
        && Conditions.sameConditions(previous, next) && sameExtraStatus(previous, next)) {
      UpdateControl<R> nothing = UpdateControl.noUpdate();
      return recheck.map(nothing::rescheduleAfter).orElse(nothing);
    }
    List<PulseCondition> transitions = Conditions.transitions(before, next.getConditions());
    writeStatus(resource, next, context);
    written[0] = true;
    for (PulseCondition changed : transitions) {
      events.record(context.getClient(), resource, Conditions.eventType(changed), changed.getReason(),
          changed.getType() + ": " + changed.getMessage());
    }
    UpdateControl<R> nothing = UpdateControl.noUpdate();
    return recheck.map(nothing::rescheduleAfter).orElse(nothing);
  }

  /**
   * Puts {@code condition} into the status of a resource outside a reconcile (e.g. while its finalizer runs), then
   * records its Event when it changed status or reason: the same order as a reconcile (no Event when the write
   * failed). Never throws: a resource that is going away may be gone before the write. True when stored (or
   * already so).
   */
  protected boolean reportCondition(R resource, Context<R> context, PulseCondition condition) {
    S status = resource.getStatus() == null ? newStatus.get() : resource.getStatus();
    long generation = resource.getMetadata().getGeneration() == null ? 0 : resource.getMetadata().getGeneration();
    List<PulseCondition> before = status.getConditions();
    List<PulseCondition> merged = Conditions.merge(before, List.of(condition), generation, clock);
    List<PulseCondition> after = new java.util.ArrayList<>(merged);
    if (before != null) {
      before.stream().filter(c -> !c.getType().equals(condition.getType())).forEach(after::add);
    }
    List<PulseCondition> transitions = Conditions.transitions(before, merged);
    boolean same = before != null && before.equals(after);
    try {
      if (!same) {
        status.setConditions(after);
        writeStatus(resource, status, context);
      }
    } catch (RuntimeException writeFailed) {
      log.debug("could not write the status of {}/{}: {}", resource.getKind(), resource.getMetadata().getName(),
          writeFailed.getMessage());
      return false; // not stored, so not announced
    }
    transitions.forEach(c -> events.record(context.getClient(), resource, Conditions.eventType(c), c.getReason(),
        c.getType() + ": " + c.getMessage()));
    return true;
  }

  /**
   * Replaces the status subresource, with the resourceVersion the reconcile saw: a stale copy gets 409 Conflict
   * and throws (the SDK retries on the fresh copy). The stored object is handed to the informer cache, so the next
   * reconcile does not act on the version before this write.
   */
  private void writeStatus(R resource, S status, Context<R> context) {
    resource.setStatus(status);
    R stored = context.getClient().resource(resource).updateStatus();
    context.eventSourceRetriever().getControllerEventSource()
        .handleRecentResourceUpdate(ResourceID.fromResource(stored), stored, resource);
  }

  /**
   * A reconcile that threw (API error, RBAC, an invalid object) shows up as Ready=False with reason ReconcileError
   * and the API server's message, written only when that changes; the Java Operator SDK retries with backoff.
   */
  @Override
  public ErrorStatusUpdateControl<R> updateErrorStatus(R resource, Context<R> context, Exception e) {
    S status = resource.getStatus() == null ? newStatus.get() : resource.getStatus();
    long generation = resource.getMetadata().getGeneration() == null ? 0 : resource.getMetadata().getGeneration();
    List<PulseCondition> before = status.getConditions();
    PulseCondition error = Conditions.merge(before, List.of(Conditions.of("Ready", false, "ReconcileError",
        "The operator could not reconcile this generation and will retry: " + summary(e))), generation, clock).get(0);
    List<PulseCondition> after = new java.util.ArrayList<>();
    after.add(error);
    if (before != null) {
      before.stream().filter(c -> !"Ready".equals(c.getType())).forEach(after::add);
    }
    if (before != null && before.equals(after) || isConflict(e)) {
      // A conflict only means this copy was stale: the retry reconciles the fresh one, nothing to report.
      return ErrorStatusUpdateControl.defaultErrorProcessing();
    }
    List<PulseCondition> transitions = Conditions.transitions(before, List.of(error));
    status.setConditions(after);
    try {
      writeStatus(resource, status, context);
    } catch (RuntimeException writeFailed) {
      // Not stored, so not announced: the retry (with backoff) tries again.
      log.debug("could not write the error status of {}/{}: {}", resource.getKind(), resource.getMetadata().getName(),
          writeFailed.getMessage());
      return ErrorStatusUpdateControl.defaultErrorProcessing();
    }
    transitions.forEach(c -> events.record(context.getClient(), resource,
        Conditions.eventType(c), c.getReason(), c.getType() + ": " + c.getMessage()));
    return ErrorStatusUpdateControl.defaultErrorProcessing();
  }

  private static boolean isConflict(Exception e) {
    return e instanceof io.fabric8.kubernetes.client.KubernetesClientException k && k.getCode() == 409;
  }

  /** The API server's own message when there is one (not the client's long wrapper), cut to a readable length. */
  static String summary(Exception e) {
    String message = e instanceof io.fabric8.kubernetes.client.KubernetesClientException k && k.getStatus() != null
        && k.getStatus().getMessage() != null ? k.getCode() + " " + k.getStatus().getMessage() : String.valueOf(e.getMessage());
    return message.length() > 400 ? message.substring(0, 397) + "..." : message;
  }

  /** Kind-specific status fields beyond the conditions; compared to skip no-op writes. */
  protected abstract boolean sameExtraStatus(S previous, S next);
}
