package dev.pulse.operator.support;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Optional;

/**
 * Checks that the Secrets and ConfigMaps a resource refers to exist before the operator starts a pod that needs
 * them: a pod with a missing secretKeyRef only sits in CreateContainerConfigError, which a user rarely looks at.
 * Only existence and the key are read; a Secret's value never leaves this class.
 */
public final class References {

  public static final String SECRET_MISSING = "SecretMissing";
  public static final String CONFIG_MAP_MISSING = "ConfigMapMissing";

  /** A reference that does not resolve, with a reason and a message a person can act on. */
  public record Problem(String reason, String message) {}

  private References() {}

  public static Optional<Problem> secretKey(KubernetesClient client, String namespace, String name, String key,
      String usedFor) {
    Secret secret = client.secrets().inNamespace(namespace).withName(name).get();
    if (secret == null) {
      return Optional.of(new Problem(SECRET_MISSING, "Secret " + name + " (" + usedFor + ") does not exist in namespace "
          + namespace + "; create it with key " + key + ", e.g. kubectl create secret generic " + name
          + " --from-literal=" + key + "=..."));
    }
    boolean hasKey = (secret.getData() != null && secret.getData().containsKey(key))
        || (secret.getStringData() != null && secret.getStringData().containsKey(key));
    return hasKey ? Optional.empty() : Optional.of(new Problem(SECRET_MISSING, "Secret " + name + " (" + usedFor
        + ") has no key " + key + "; add it or point the reference at the key that holds it"));
  }

  public static Optional<Problem> configMapKey(KubernetesClient client, String namespace, String name, String key,
      String usedFor) {
    ConfigMap map = client.configMaps().inNamespace(namespace).withName(name).get();
    if (map == null) {
      return Optional.of(new Problem(CONFIG_MAP_MISSING, "ConfigMap " + name + " (" + usedFor
          + ") does not exist in namespace " + namespace + "; create it with key " + key));
    }
    boolean hasKey = (map.getData() != null && map.getData().containsKey(key))
        || (map.getBinaryData() != null && map.getBinaryData().containsKey(key));
    return hasKey ? Optional.empty() : Optional.of(new Problem(CONFIG_MAP_MISSING, "ConfigMap " + name + " ("
        + usedFor + ") has no key " + key));
  }
}
