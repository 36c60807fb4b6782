package dev.pulse.operator.support;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;

/**
 * Writes desired objects with server-side apply: the operator owns exactly the fields it sets, other controllers
 * (HPA, kubectl scale, defaults) keep theirs, and an apply that changes nothing is not a write: the API server
 * keeps the resourceVersion, so no event fires and no reconcile loop starts.
 */
public final class ServerSideApply {

  public static final String FIELD_MANAGER = OwnedObjects.MANAGED_BY;

  private ServerSideApply() {}

  /** Applies {@code desired} (force: the operator wins conflicts on its own fields) and returns the stored object. */
  public static <T extends HasMetadata> T apply(KubernetesClient client, T desired) {
    return client.resource(desired).fieldManager(FIELD_MANAGER).forceConflicts().serverSideApply();
  }
}
