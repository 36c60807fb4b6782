package dev.pulse.operator.metrics;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.api.monitoring.Metrics;
import io.javaoperatorsdk.operator.api.reconciler.Constants;
import io.javaoperatorsdk.operator.api.reconciler.RetryInfo;
import io.javaoperatorsdk.operator.processing.Controller;
import io.javaoperatorsdk.operator.processing.event.Event;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The Java Operator SDK's hooks as Prometheus meters, one series per controller (sourcefeed, modeladapter,
 * sentimentpipeline), never per resource:
 * <ul>
 *   <li>{@code pulse_operator_reconciles_total{controller}}: reconciliations started (retries included);</li>
 *   <li>{@code pulse_operator_reconcile_errors_total{controller}}: those that threw (JOSDK retries them);</li>
 *   <li>{@code pulse_operator_reconcile_duration_seconds_bucket{controller}}: how long each took, a histogram;</li>
 *   <li>{@code pulse_operator_reconciles_in_progress{controller}}: running now (at most the reconcile threads);</li>
 *   <li>{@code pulse_operator_events_total{controller}}: events received from the informers (the work queue's
 *       input).</li>
 * </ul>
 */
public final class OperatorMetrics implements Metrics {
  static final Duration[] BUCKETS = {Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25),
      Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500),
      Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10),
      Duration.ofSeconds(30)};

  private final MeterRegistry registry;
  private final Map<String, PerController> controllers = new ConcurrentHashMap<>();

  public OperatorMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  /** One controller's meters, registered at 0 when the controller is registered. */
  private final class PerController {
    final Counter reconciles;
    final Counter errors;
    final Counter events;
    final Timer duration;
    final AtomicInteger inProgress = new AtomicInteger();

    PerController(String controller) {
      reconciles = Counter.builder("pulse.operator.reconciles").description("Reconciliations started, retries included")
          .tag("controller", controller).register(registry);
      errors = Counter.builder("pulse.operator.reconcile.errors").description("Reconciliations that failed")
          .tag("controller", controller).register(registry);
      events = Counter.builder("pulse.operator.events").description("Events received from the informers")
          .tag("controller", controller).register(registry);
      duration = Timer.builder("pulse.operator.reconcile.duration").description("Time one reconciliation took")
          .tag("controller", controller).serviceLevelObjectives(BUCKETS).register(registry);
      registry.gauge("pulse.operator.reconciles.in.progress",
          io.micrometer.core.instrument.Tags.of("controller", controller), inProgress);
    }
  }

  private PerController of(String controller) {
    return controllers.computeIfAbsent(controller, PerController::new);
  }

  /** The controller's name as JOSDK passes it, else the resource's kind in lower case. */
  private PerController of(HasMetadata resource, Map<String, Object> metadata) {
    Object name = metadata == null ? null : metadata.get(Constants.CONTROLLER_NAME);
    if (name != null) {
      return of(name.toString());
    }
    return of(resource == null ? "unknown" : resource.getKind().toLowerCase(Locale.ROOT));
  }

  @Override
  public void controllerRegistered(Controller<? extends HasMetadata> controller) {
    of(controller.getConfiguration().getName());
  }

  @Override
  public void receivedEvent(Event event, Map<String, Object> metadata) {
    Object name = metadata == null ? null : metadata.get(Constants.CONTROLLER_NAME);
    if (name != null) {
      of(name.toString()).events.increment();
    }
  }

  @Override
  public void reconcileCustomResource(HasMetadata resource, RetryInfo retry, Map<String, Object> metadata) {
    of(resource, metadata).reconciles.increment();
  }

  @Override
  public void failedReconciliation(HasMetadata resource, Exception exception, Map<String, Object> metadata) {
    of(resource, metadata).errors.increment();
  }

  @Override
  public void reconciliationExecutionStarted(HasMetadata resource, Map<String, Object> metadata) {
    of(resource, metadata).inProgress.incrementAndGet();
  }

  @Override
  public void reconciliationExecutionFinished(HasMetadata resource, Map<String, Object> metadata) {
    of(resource, metadata).inProgress.decrementAndGet();
  }

  @Override
  public <T> T timeControllerExecution(ControllerExecution<T> execution) throws Exception {
    long start = System.nanoTime();
    try {
      return execution.execute();
    } finally {
      of(execution.controllerName()).duration.record(Duration.ofNanos(System.nanoTime() - start));
    }
  }
}
