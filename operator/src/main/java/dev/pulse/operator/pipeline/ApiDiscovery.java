package dev.pulse.operator.pipeline;

import io.fabric8.kubernetes.api.model.APIResourceList;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Asks the API server's discovery whether a kind is served, so optional integrations are used when installed and
 * reported, never failed, when not: Strimzi's KafkaTopic (kafka.strimzi.io v1, or v1beta2 on Strimzi before 0.49),
 * the Spark operator's SparkApplication (sparkoperator.k8s.io/v1beta2) and the Prometheus operator's ServiceMonitor
 * and PrometheusRule (monitoring.coreos.com/v1). Answers are cached for {@link #ttl}: a CRD installed later is
 * picked up within it, without a discovery call per reconcile.
 */
public class ApiDiscovery {

  public static final Duration TTL = Duration.ofMinutes(1);
  public static final String STRIMZI_GROUP = "kafka.strimzi.io";
  /** KafkaTopic versions Pulse can write, preferred first (Strimzi 0.49+ serves v1; older releases v1beta2). */
  public static final List<String> KAFKA_TOPIC_VERSIONS = List.of("v1", "v1beta2");
  public static final String SPARK_API_VERSION = "sparkoperator.k8s.io/v1beta2";

  private record Answer(boolean served, Instant at) {}

  private final KubernetesClient client;
  private final Clock clock;
  private final Duration ttl;
  private final Map<String, Answer> cache = new ConcurrentHashMap<>();

  public ApiDiscovery(KubernetesClient client, Clock clock) {
    this(client, clock, TTL);
  }

  public ApiDiscovery(KubernetesClient client, Clock clock, Duration ttl) {
    this.client = client;
    this.clock = clock;
    this.ttl = ttl;
  }

  /** The KafkaTopic version to write ("v1" preferred, else "v1beta2"), or empty when Strimzi's CRD is not served. */
  public Optional<String> kafkaTopicVersion() {
    return KAFKA_TOPIC_VERSIONS.stream().filter(v -> serves(STRIMZI_GROUP + "/" + v, "KafkaTopic")).findFirst();
  }

  public boolean sparkApplications() {
    return serves(SPARK_API_VERSION, "SparkApplication");
  }

  /** One line for the operator's log: which optional APIs this cluster serves, and in which version. */
  public String summary() {
    RenderInputs.MonitoringSupport monitoring = monitoring();
    return "Strimzi KafkaTopic: " + kafkaTopicVersion().map(v -> STRIMZI_GROUP + "/" + v).orElse("not served")
        + "; Spark operator SparkApplication: " + (sparkApplications() ? SPARK_API_VERSION : "not served")
        + "; Prometheus operator ServiceMonitor: " + (monitoring.serviceMonitor() ? Monitoring.API_VERSION : "not served")
        + ", PrometheusRule: " + (monitoring.prometheusRule() ? Monitoring.API_VERSION : "not served")
        + ", PodMonitor: " + (monitoring.podMonitor() ? Monitoring.API_VERSION : "not served");
  }

  /** True when {@code groupVersion} (e.g. monitoring.coreos.com/v1) serves {@code kind}. */
  public boolean serves(String groupVersion, String kind) {
    String key = groupVersion + "/" + kind;
    Answer cached = cache.get(key);
    Instant now = clock.instant();
    if (cached != null && cached.at().plus(ttl).isAfter(now)) {
      return cached.served();
    }
    boolean served = lookUp(groupVersion, kind);
    cache.put(key, new Answer(served, now));
    return served;
  }

  public RenderInputs.MonitoringSupport monitoring() {
    return new RenderInputs.MonitoringSupport(serves(Monitoring.API_VERSION, "ServiceMonitor"),
        serves(Monitoring.API_VERSION, "PrometheusRule"), serves(Monitoring.API_VERSION, "PodMonitor"));
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
