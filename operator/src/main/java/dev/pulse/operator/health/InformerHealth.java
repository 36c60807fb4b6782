package dev.pulse.operator.health;

import io.javaoperatorsdk.operator.Operator;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.function.Supplier;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * Liveness tied to the informers, as the Flink operator's HealthProbe does: an operator whose watches are broken (RBAC
 * taken away, API server unreachable, a CRD deleted) reconciles nothing while Spring still answers UP. This indicator
 * (in the {@code liveness} group, see operator.yaml) turns DOWN once an informer that was healthy has been unhealthy
 * for {@code pulse.operator.liveness-grace} (default 2 minutes), so the kubelet restarts the pod and the informers
 * start afresh. An informer that was never healthy does not count: a standby replica (leader election) starts none,
 * and start-up is the startup/initial delay's business.
 */
@Component("informers")
public class InformerHealth implements HealthIndicator {

  private final Supplier<Map<String, ? extends Map<String, ?>>> unhealthy;
  private final Duration grace;
  private final Clock clock;
  private volatile boolean everHealthy;
  private volatile Instant unhealthySince;

  @Autowired
  public InformerHealth(Operator operator, @Value("${pulse.operator.liveness-grace:2m}") Duration grace) {
    this(() -> operator.getRuntimeInfo().isStarted() && !operator.getRuntimeInfo().getRegisteredControllers().isEmpty()
        ? operator.getRuntimeInfo().unhealthyEventSources() : null, grace, Clock.systemUTC());
  }

  /**
   * @param unhealthy the unhealthy event sources by controller (empty: all healthy; null: the operator has not
   *     started its controllers, e.g. a standby)
   */
  InformerHealth(Supplier<Map<String, ? extends Map<String, ?>>> unhealthy, Duration grace, Clock clock) {
    this.unhealthy = unhealthy;
    this.grace = grace;
    this.clock = clock;
  }

  @Override
  public Health health() {
    Map<String, ? extends Map<String, ?>> now = unhealthy.get();
    if (now == null) {
      return Health.up().withDetail("informers", "not started (standby or starting)").build();
    }
    boolean healthy = now.values().stream().allMatch(Map::isEmpty);
    if (healthy) {
      everHealthy = true;
      unhealthySince = null;
      return Health.up().build();
    }
    Map<String, Object> which = new java.util.TreeMap<>();
    now.forEach((controller, sources) -> {
      if (!sources.isEmpty()) {
        which.put(controller, new java.util.TreeSet<>(sources.keySet()));
      }
    });
    if (!everHealthy) {
      return Health.up().withDetail("syncing", which).build();
    }
    Instant since = unhealthySince;
    if (since == null) {
      since = clock.instant();
      unhealthySince = since;
    }
    Duration lasted = Duration.between(since, clock.instant());
    Health.Builder builder = lasted.compareTo(grace) >= 0 ? Health.down() : Health.up();
    return builder.withDetail("unhealthy", which).withDetail("unhealthyFor", lasted.toSeconds() + "s").build();
  }
}
