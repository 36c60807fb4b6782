package dev.pulse.operator.support;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.ManagedInformerEventSource;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes desired objects with server-side apply: the operator owns exactly the fields it sets, other controllers
 * (HPA, kubectl scale, defaults) keep theirs, and an apply that changes nothing is not a write: the API server
 * keeps the resourceVersion, so no event fires and no reconcile loop starts.
 *
 * <p>{@link #applyIfChanged} first looks in the reconciler's informer cache: when the stored object already is what
 * would be applied ({@link DesiredState}) no request is sent at all, so a resync of an unchanged resource costs the
 * API server nothing. {@code -Dpulse.operator.always-apply=true} turns that off (the benchmark's reference).
 */
public final class ServerSideApply {

  public static final String FIELD_MANAGER = OwnedObjects.MANAGED_BY;
  /** The old behaviour, every object applied at every reconcile: only for measuring against it. */
  static final boolean ALWAYS_APPLY = Boolean.getBoolean("pulse.operator.always-apply");

  private static final Logger log = LoggerFactory.getLogger(ServerSideApply.class);

  private ServerSideApply() {}

  /** Applies {@code desired} (force: the operator wins conflicts on its own fields) and returns the stored object. */
  public static <T extends HasMetadata> T apply(KubernetesClient client, T desired) {
    return client.resource(desired).fieldManager(FIELD_MANAGER).forceConflicts().serverSideApply();
  }

  /**
   * The stored object: the cached one when it already is {@code desired} (no request), else what the apply stored.
   * Kinds the reconciler has no informer for are always applied.
   */
  public static HasMetadata applyIfChanged(Context<?> context, HasMetadata desired) {
    HasMetadata stamped = DesiredState.stamp(desired);
    Optional<ManagedInformerEventSource<HasMetadata, ?, ?>> informer = informer(context, stamped);
    ResourceID id = new ResourceID(stamped.getMetadata().getName(), stamped.getMetadata().getNamespace());
    Optional<HasMetadata> cached = informer.flatMap(i -> i.get(id))
        .filter(c -> Objects.equals(c.getKind(), stamped.getKind())
            && Objects.equals(c.getApiVersion(), stamped.getApiVersion()));
    if (!ALWAYS_APPLY && cached.isPresent() && DesiredState.unchanged(cached.get(), stamped)) {
      return cached.get();
    }
    if (log.isDebugEnabled() && cached.isPresent()) {
      log.debug("applying {} {}/{}: differs at {}", stamped.getKind(), stamped.getMetadata().getNamespace(),
          stamped.getMetadata().getName(), DesiredState.firstDifference(cached.get(), stamped));
    }
    HasMetadata stored = apply(context.getClient(), stamped);
    // The next reconcile (often triggered by this very write) then compares with what was just stored.
    informer.ifPresent(i -> {
      if (cached.isPresent()) {
        i.handleRecentResourceUpdate(id, stored, cached.get());
      } else {
        i.handleRecentResourceCreate(id, stored);
      }
    });
    return stored;
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static Optional<ManagedInformerEventSource<HasMetadata, ?, ?>> informer(Context<?> context,
      HasMetadata desired) {
    List<EventSource> sources = (List) context.eventSourceRetriever().getEventSourcesFor((Class) desired.getClass());
    for (EventSource source : sources) {
      if (source instanceof ManagedInformerEventSource informer && servesKind(informer, desired)) {
        return Optional.of(informer);
      }
    }
    return Optional.empty();
  }

  /** Generic resources share one class: pick the informer of the desired object's group, version and kind. */
  private static boolean servesKind(ManagedInformerEventSource<?, ?, ?> informer, HasMetadata desired) {
    if (!(desired instanceof io.fabric8.kubernetes.api.model.GenericKubernetesResource)) {
      return true;
    }
    Object config = informer.configuration();
    if (config instanceof io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration<?> c
        && c.getGroupVersionKind().isPresent()) {
      var gvk = c.getGroupVersionKind().get();
      return gvk.getKind().equals(desired.getKind()) && gvk.apiVersion().equals(desired.getApiVersion());
    }
    return false;
  }
}
