package dev.pulse.e2e;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Flux's GitRepository and Kustomization objects as `flux get` reads them: their Ready condition and revisions. */
final class FluxObjects {

  static final String NAMESPACE = "flux-system";
  static final String SOURCE_API = "source.toolkit.fluxcd.io/v1";
  static final String KUSTOMIZE_API = "kustomize.toolkit.fluxcd.io/v1";

  private final NodeCluster cluster;
  private final KubernetesClient client;

  FluxObjects(NodeCluster cluster) {
    this.cluster = cluster;
    this.client = cluster.client();
  }

  /** The Ready condition of a Kustomization (status, reason, message), or empty before it has one. */
  Optional<Condition> kustomizationReady(String name) {
    return Optional.ofNullable(client.genericKubernetesResources(KUSTOMIZE_API, "Kustomization").inNamespace(NAMESPACE)
        .withName(name).get()).flatMap(k -> PulseResources.conditionOf(k, "Ready")).map(Condition::of);
  }

  /** True once the Kustomization applied {@code commit} and found everything healthy. */
  boolean readyAt(String name, String commit) {
    return kustomizationReady(name).filter(c -> c.isTrue() && c.message().contains(commit)).isPresent();
  }

  String status(String name, String field) {
    GenericKubernetesResource k = client.genericKubernetesResources(KUSTOMIZE_API, "Kustomization")
        .inNamespace(NAMESPACE).withName(name).get();
    Object status = k == null ? null : k.getAdditionalProperties().get("status");
    return status instanceof Map<?, ?> map ? String.valueOf(map.get(field)) : "";
  }

  /** What `flux reconcile source git NAME` does: ask source-controller to fetch now rather than at its interval. */
  void requestReconcile(String gitRepository) {
    cluster.kubectl("annotate", "gitrepository", gitRepository, "-n", NAMESPACE, "--overwrite",
        "reconcile.fluxcd.io/requestedAt=" + Instant.now()).orThrow(List.of("kubectl annotate gitrepository"));
  }

  record Condition(String status, String reason, String message) {
    static Condition of(Map<String, Object> c) {
      return new Condition(String.valueOf(c.get("status")), String.valueOf(c.get("reason")),
          String.valueOf(c.get("message")));
    }

    boolean isTrue() {
      return "True".equals(status);
    }

    boolean isFalse() {
      return "False".equals(status);
    }
  }
}
