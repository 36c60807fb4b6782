package dev.pulse.e2e;

import static org.awaitility.Awaitility.await;

import dev.pulse.testing.CrdInstaller;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A static check of the monitoring objects the operator wrote, for a cluster without a Prometheus operator: every
 * ServiceMonitor selects at least one Service of its namespace by labels, one of which has a port its endpoints name;
 * every PodMonitor selects at least one running pod, one of which has a container port its endpoints name. A selector that matches nothing, or a port name no target has, is what leaves a real
 * Prometheus scraping nothing while every object looks fine.
 */
final class MonitorSelection {
  static final String API = "monitoring.coreos.com/v1";
  /** Pulse's objects only: a ServiceMonitor someone else made is not the operator's to answer for. */
  private static final Map<String, String> PULSE = Map.of("app.kubernetes.io/managed-by", "pulse-operator");

  private static final String NUDGE = "e2e.pulse.dev/reconcile-nudge";

  private MonitorSelection() {}

  /** The problems found in {@code namespace} (empty = every monitor selects something on a named port). */
  static List<String> problems(KubernetesClient client, String namespace) {
    List<String> problems = new ArrayList<>();
    List<Service> services = client.services().inNamespace(namespace).list().getItems();
    List<Pod> pods = client.pods().inNamespace(namespace).list().getItems().stream()
        .filter(p -> "Running".equals(p.getStatus().getPhase())).toList();
    for (GenericKubernetesResource m : monitors(client, namespace, "ServiceMonitor")) {
      Set<String> ports = endpointPorts(m, "endpoints");
      List<Service> selected = services.stream()
          .filter(s -> selects(matchLabels(m), s.getMetadata().getLabels())).toList();
      Map<String, Set<String>> has = selected.stream().collect(Collectors.toMap(s -> s.getMetadata().getName(),
          s -> s.getSpec().getPorts().stream().map(ServicePort::getName).filter(Objects::nonNull)
              .collect(Collectors.toSet())));
      check(m, "Service", namespace, ports, has, problems);
    }
    for (GenericKubernetesResource m : monitors(client, namespace, "PodMonitor")) {
      Set<String> ports = endpointPorts(m, "podMetricsEndpoints");
      List<Pod> selected = pods.stream().filter(p -> selects(matchLabels(m), p.getMetadata().getLabels())).toList();
      Map<String, Set<String>> has = selected.stream().collect(Collectors.toMap(p -> p.getMetadata().getName(),
          p -> p.getSpec().getContainers().stream()
              .flatMap(c -> c.getPorts() == null ? java.util.stream.Stream.<ContainerPort>empty() : c.getPorts().stream())
              .map(ContainerPort::getName).filter(Objects::nonNull).collect(Collectors.toSet())));
      check(m, "running pod", namespace, ports, has, problems);
    }
    return problems;
  }

  /**
   * At least one target selected, and at least one of them with a port an endpoint names (a ServiceMonitor's
   * endpoints may name ports only some of its Services have, e.g. vLLM's: Prometheus skips the others).
   */
  private static void check(GenericKubernetesResource m, String what, String namespace, Set<String> ports,
      Map<String, Set<String>> targets, List<String> problems) {
    if (targets.isEmpty()) {
      problems.add(describe(m) + " selects no " + what + " of " + namespace);
    } else if (targets.values().stream().noneMatch(has -> has.stream().anyMatch(ports::contains))) {
      problems.add(describe(m) + " selects " + what + "s " + targets + " but none has a port its endpoints name: "
          + ports);
    }
  }

  /** One line per monitor: what it selects (the test prints it). */
  static String summary(KubernetesClient client, String namespace) {
    return "ServiceMonitors " + names(monitors(client, namespace, "ServiceMonitor")) + ", PodMonitors "
        + names(monitors(client, namespace, "PodMonitor"));
  }

  /**
   * Installs the Prometheus operator's ServiceMonitor, PodMonitor and PrometheusRule CRDs (the upstream files the
   * tests' API server uses) and waits until the operator has written its monitors in {@code namespace}: at least
   * {@code serviceMonitors} ServiceMonitors and one PodMonitor. The operator looks the kinds up again at most once a
   * minute and a Ready pipeline or feed resyncs every 10 minutes, so each minute the test annotates the Services the
   * operator owns in the namespace: they are watched, so the update reconciles their owner now. The annotation is the
   * test's own field, which the operator's server-side apply leaves alone.
   */
  static void installCrdsAndAwaitMonitors(KubernetesClient client, String namespace, int serviceMonitors,
      Duration within) {
    CrdInstaller.install(client, List.of(
        CrdInstaller.fromClasspath("upstream-crds/monitoring.coreos.com_servicemonitors.yaml"),
        CrdInstaller.fromClasspath("upstream-crds/monitoring.coreos.com_podmonitors.yaml"),
        CrdInstaller.fromClasspath("upstream-crds/monitoring.coreos.com_prometheusrules.yaml")));
    long[] nudged = {System.nanoTime()};
    await("the operator's ServiceMonitors and PodMonitor in " + namespace).atMost(within)
        .pollInterval(Duration.ofSeconds(5)).ignoreExceptions().until(() -> {
          if (monitors(client, namespace, "ServiceMonitor").size() >= serviceMonitors
              && !monitors(client, namespace, "PodMonitor").isEmpty()) {
            return true;
          }
          if (System.nanoTime() - nudged[0] > Duration.ofSeconds(65).toNanos()) {
            String now = String.valueOf(System.currentTimeMillis());
            for (Service s : client.services().inNamespace(namespace).withLabels(PULSE).list().getItems()) {
              client.services().inNamespace(namespace).withName(s.getMetadata().getName())
                  .edit(e -> new io.fabric8.kubernetes.api.model.ServiceBuilder(e).editMetadata()
                      .addToAnnotations(NUDGE, now).endMetadata().build());
            }
            nudged[0] = System.nanoTime();
          }
          return false;
        });
  }

  private static List<GenericKubernetesResource> monitors(KubernetesClient client, String namespace, String kind) {
    return client.genericKubernetesResources(API, kind).inNamespace(namespace).withLabels(PULSE).list().getItems();
  }

  @SuppressWarnings("unchecked")
  private static Map<String, String> matchLabels(GenericKubernetesResource m) {
    Map<String, Object> spec = (Map<String, Object>) m.getAdditionalProperties().get("spec");
    Map<String, Object> selector = (Map<String, Object>) spec.get("selector");
    if (selector.containsKey("matchExpressions")) {
      throw new IllegalStateException(describe(m) + ": matchExpressions are not checked here; extend the check");
    }
    return (Map<String, String>) selector.getOrDefault("matchLabels", Map.of());
  }

  @SuppressWarnings("unchecked")
  private static Set<String> endpointPorts(GenericKubernetesResource m, String field) {
    Map<String, Object> spec = (Map<String, Object>) m.getAdditionalProperties().get("spec");
    return ((List<Map<String, Object>>) spec.getOrDefault(field, List.of())).stream()
        .map(e -> (String) e.get("port")).filter(Objects::nonNull).collect(Collectors.toSet());
  }

  /** An empty selector would select everything: Pulse never writes one, so it counts as selecting nothing. */
  private static boolean selects(Map<String, String> matchLabels, Map<String, String> labels) {
    return !matchLabels.isEmpty() && labels != null && labels.entrySet().containsAll(matchLabels.entrySet());
  }

  private static String describe(GenericKubernetesResource m) {
    return m.getKind() + " " + m.getMetadata().getName();
  }

  private static List<String> names(List<GenericKubernetesResource> monitors) {
    return monitors.stream().map(m -> m.getMetadata().getName()).toList();
  }
}
