package dev.pulse.operator;

import dev.pulse.operator.support.PulseImages;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Operator settings (operator.yaml, or environment variables such as PULSE_OPERATOR_NAMESPACES).
 *
 * @param namespaces namespaces to watch; empty watches all namespaces the service account may read
 * @param leaderElection whether to take a Lease before reconciling (on in the Helm chart, off locally)
 * @param leaseNamespace namespace of the Lease; defaults to the pod's namespace
 * @param reconcileThreads concurrent reconciliations
 * @param images runtime images put into owned objects (PULSE_OPERATOR_IMAGES_INGESTER, _SPARK_JOB, _GATEWAY, ...)
 * @param apiRecheck how often the optional APIs (Strimzi, the Spark operator, the Prometheus operator) are looked up
 *     again, so a CRD installed after the operator started is used without a restart; default 1m
 * @param networkPolicies whether each workload gets a NetworkPolicy allowing only the flows Pulse needs
 *     ({@code network/NetworkPolicies}); default true; false for clusters without a policy engine
 *     (PULSE_OPERATOR_NETWORK_POLICIES, chart value networkPolicies.enabled)
 */
@ConfigurationProperties(prefix = "pulse.operator")
public record OperatorProperties(
    List<String> namespaces, boolean leaderElection, String leaseNamespace, Integer reconcileThreads,
    PulseImages images, java.time.Duration apiRecheck, Boolean networkPolicies) {

  public OperatorProperties {
    namespaces = namespaces == null ? List.of() : List.copyOf(namespaces);
    reconcileThreads = reconcileThreads == null ? 10 : reconcileThreads;
    images = images == null ? PulseImages.defaults() : images.withDefaults(PulseImages.defaults());
    apiRecheck = apiRecheck == null ? dev.pulse.operator.pipeline.ApiDiscovery.TTL : apiRecheck;
    networkPolicies = networkPolicies == null || networkPolicies;
  }
}
