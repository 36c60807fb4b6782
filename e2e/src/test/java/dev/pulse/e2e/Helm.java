package dev.pulse.e2e;

import dev.pulse.testing.HelmBinary;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The real helm CLI (built from its Go module by hack/build-helm.sh) against the node cluster. */
final class Helm {

  static final String RELEASE = "pulse";
  /** The chart's fullname for release "pulse" (charts/pulse-operator/templates/_helpers.tpl). */
  static final String OPERATOR_DEPLOYMENT = RELEASE;

  private Helm() {}

  /** Installs the chart as the README tells a user to: its defaults name the images this build made. */
  static void install(NodeCluster cluster, String namespace) {
    helm(cluster, "install", RELEASE, PulseOnClusterIT.repo("charts/pulse-operator").toString(), "-n", namespace,
        "--create-namespace", "--wait=false");
  }

  /** Waits until the operator Deployment the chart made has a ready replica. */
  static void awaitOperatorReady(KubernetesClient client, String namespace, Duration deadline) {
    org.awaitility.Awaitility.await("operator Deployment available").atMost(deadline)
        .pollInterval(Duration.ofSeconds(2)).until(() -> operatorReady(client, namespace));
  }

  static boolean operatorReady(KubernetesClient client, String namespace) {
    Deployment d = client.apps().deployments().inNamespace(namespace).withName(OPERATOR_DEPLOYMENT).get();
    return d != null && d.getStatus() != null && d.getStatus().getReadyReplicas() != null
        && d.getStatus().getReadyReplicas() >= 1;
  }

  /** Is the release there already (a cluster kept from an earlier run)? */
  static boolean installed(NodeCluster cluster, String namespace) {
    return cluster.client().apps().deployments().inNamespace(namespace).withName(OPERATOR_DEPLOYMENT).get() != null;
  }

  static void uninstall(NodeCluster cluster, String namespace) {
    helm(cluster, "uninstall", RELEASE, "-n", namespace, "--wait", "--timeout", "5m");
  }

  private static void helm(NodeCluster cluster, String... args) {
    List<String> command = new ArrayList<>();
    try {
      command.add(HelmBinary.ensure().toString());
    } catch (IOException e) {
      throw new IllegalStateException("cannot build helm", e);
    }
    command.addAll(List.of(args));
    Commands.runOrThrow(Duration.ofMinutes(6), Map.of("KUBECONFIG", cluster.kubeconfig().toString(),
        "HELM_CACHE_HOME", "/tmp/pulse-e2e-helm/cache", "HELM_CONFIG_HOME", "/tmp/pulse-e2e-helm/config",
        "HELM_DATA_HOME", "/tmp/pulse-e2e-helm/data"), command);
  }
}
