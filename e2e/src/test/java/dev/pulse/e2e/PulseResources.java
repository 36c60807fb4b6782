package dev.pulse.e2e;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Pulse's custom resources read as a user reads them: untyped, by their conditions. */
final class PulseResources {

  static final String API_VERSION = "pulse.dev/v1alpha1";

  private PulseResources() {}

  static Optional<GenericKubernetesResource> get(KubernetesClient client, String kind, String namespace, String name) {
    return Optional.ofNullable(client.genericKubernetesResources(API_VERSION, kind).inNamespace(namespace)
        .withName(name).get());
  }

  /** The condition's status ("True", "False", "Unknown"), or empty when the resource or condition is missing. */
  static Optional<String> condition(KubernetesClient client, String kind, String namespace, String name, String type) {
    return get(client, kind, namespace, name).flatMap(r -> conditionOf(r, type)).map(c -> String.valueOf(c.get("status")));
  }

  @SuppressWarnings("unchecked")
  static Optional<Map<String, Object>> conditionOf(GenericKubernetesResource resource, String type) {
    Object status = resource.getAdditionalProperties().get("status");
    if (!(status instanceof Map<?, ?> map) || !(map.get("conditions") instanceof List<?> conditions)) {
      return Optional.empty();
    }
    return conditions.stream().map(c -> (Map<String, Object>) c).filter(c -> type.equals(c.get("type"))).findFirst();
  }

  static String describeConditions(KubernetesClient client, String kind, String namespace, String name) {
    return get(client, kind, namespace, name)
        .map(r -> String.valueOf(((Map<?, ?>) r.getAdditionalProperties().getOrDefault("status", Map.of()))
            .get("conditions")))
        .orElse(kind + " " + namespace + "/" + name + " not found");
  }
}
