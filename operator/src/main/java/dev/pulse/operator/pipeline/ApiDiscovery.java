package dev.pulse.operator.pipeline;

import io.fabric8.kubernetes.api.model.APIResourceList;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Asks the API server's discovery whether a kind is served, so optional integrations (the Prometheus
 * operator's CRDs) are used when installed and skipped, never failed, when not. Answers are cached briefly:
 * a CRD installed later is picked up within {@link #TTL} without a discovery call per reconcile.
 */
public class ApiDiscovery {

  static final Duration TTL = Duration.ofMinutes(1);

  private record Answer(boolean served, Instant at) {}

  private final KubernetesClient client;
  private final Clock clock;
  private final Map<String, Answer> cache = new ConcurrentHashMap<>();

  public ApiDiscovery(KubernetesClient client, Clock clock) {
    this.client = client;
    this.clock = clock;
  }

  /** True when {@code groupVersion} (e.g. monitoring.coreos.com/v1) serves {@code kind}. */
  public boolean serves(String groupVersion, String kind) {
    String key = groupVersion + "/" + kind;
    Answer cached = cache.get(key);
    Instant now = clock.instant();
    if (cached != null && cached.at().plus(TTL).isAfter(now)) {
      return cached.served();
    }
    boolean served = lookUp(groupVersion, kind);
    cache.put(key, new Answer(served, now));
    return served;
  }

  public RenderInputs.MonitoringSupport monitoring() {
    return new RenderInputs.MonitoringSupport(serves(Monitoring.API_VERSION, "ServiceMonitor"),
        serves(Monitoring.API_VERSION, "PrometheusRule"));
  }

  private boolean lookUp(String groupVersion, String kind) {
    try {
      APIResourceList resources = client.getApiResources(groupVersion);
      return resources != null && resources.getResources() != null
          && resources.getResources().stream().anyMatch(r -> kind.equals(r.getKind()));
    } catch (KubernetesClientException e) {
      if (e.getCode() == 404) {
        return false;
      }
      throw e;
    }
  }
}
