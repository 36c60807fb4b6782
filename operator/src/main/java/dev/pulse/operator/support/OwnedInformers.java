package dev.pulse.operator.support;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.GroupVersionKind;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Informers on the kinds an operator owns, bounded by the {@code app.kubernetes.io/managed-by=pulse-operator}
 * label so the operator caches only its own objects (not every Deployment or Pod in the cluster). A change to an
 * owned object (a manual edit, a delete, a status update by its controller) reconciles its owner.
 */
public final class OwnedInformers {

  public static final String MANAGED_BY_SELECTOR = "app.kubernetes.io/managed-by=" + OwnedObjects.MANAGED_BY;

  private OwnedInformers() {}

  /**
   * Objects with a controller owner reference to the primary (Deployments, Services, Jobs, KafkaTopics...). The
   * selector also requires the {@code pulse.dev/<primary kind>} label, so two reconcilers that both own
   * Deployments (SourceFeed and SentimentPipeline) each cache only their own instead of both caching all.
   */
  public static <R extends HasMetadata, P extends HasMetadata> InformerEventSource<R, P> owned(
      Class<R> kind, EventSourceContext<P> context) {
    return new InformerEventSource<>(InformerEventSourceConfiguration.from(kind, context.getPrimaryResourceClass())
        .withName(context.getPrimaryResourceClass().getSimpleName() + "-" + kind.getSimpleName())
        .withLabelSelector(MANAGED_BY_SELECTOR + "," + ownerLabel(context))
        .withItemStore(leanStore(kind, context))
        .withNamespacesInheritedFromController()
        .build(), context);
  }

  /**
   * As {@link #owned(Class, EventSourceContext)} for a kind served in a version Pulse has no Java model of (Strimzi's
   * KafkaTopic v1beta2, on Strimzi before 0.49): the objects are cached as generic resources.
   */
  public static <P extends HasMetadata> InformerEventSource<GenericKubernetesResource, P> owned(
      GroupVersionKind gvk, EventSourceContext<P> context) {
    return new InformerEventSource<>(InformerEventSourceConfiguration.from(gvk, context.getPrimaryResourceClass())
        .withName(informerName(context, gvk))
        .withLabelSelector(MANAGED_BY_SELECTOR + "," + ownerLabel(context))
        .withItemStore(leanStore(GenericKubernetesResource.class, context))
        .withNamespacesInheritedFromController()
        .build(), context);
  }

  /** The name {@link #owned(GroupVersionKind, EventSourceContext)} registers its informer under. */
  public static String informerName(EventSourceContext<?> context, GroupVersionKind gvk) {
    return context.getPrimaryResourceClass().getSimpleName() + "-" + gvk.getKind() + "-" + gvk.getVersion();
  }

  /** The cache of every informer here: objects as deflated JSON, read back with the client's serialization. */
  public static <R extends HasMetadata> LeanItemStore<R> leanStore(Class<R> kind, EventSourceContext<?> context) {
    return new LeanItemStore<>(kind, context.getClient().getKubernetesSerialization());
  }

  private static String ownerLabel(EventSourceContext<?> context) {
    return "pulse.dev/" + context.getPrimaryResourceClass().getSimpleName().toLowerCase(Locale.ROOT);
  }

  /**
   * Objects owned indirectly (Pods of a Job), mapped to their Pulse owner through the
   * {@code pulse.dev/<kind>} label that {@link OwnedObjects#labels} puts on every pod template.
   */
  public static <R extends HasMetadata, P extends HasMetadata> InformerEventSource<R, P> labelled(
      Class<R> kind, EventSourceContext<P> context, String component) {
    String ownerLabel = ownerLabel(context);
    return new InformerEventSource<>(InformerEventSourceConfiguration.from(kind, context.getPrimaryResourceClass())
        .withName(context.getPrimaryResourceClass().getSimpleName() + "-" + kind.getSimpleName())
        .withLabelSelector(MANAGED_BY_SELECTOR + ",app.kubernetes.io/component=" + component + "," + ownerLabel)
        .withItemStore(leanStore(kind, context))
        .withSecondaryToPrimaryMapper(object -> {
          // The annotation holds the full name; the label only up to 63 characters (OwnedObjects.ownerLabel).
          Map<String, String> annotations = object.getMetadata().getAnnotations();
          String owner = annotations != null && annotations.containsKey(OwnedObjects.OWNER_ANNOTATION)
              ? annotations.get(OwnedObjects.OWNER_ANNOTATION)
              : object.getMetadata().getLabels() == null ? null : object.getMetadata().getLabels().get(ownerLabel);
          return owner == null ? Set.of() : Set.of(new ResourceID(owner, object.getMetadata().getNamespace()));
        })
        .withNamespacesInheritedFromController()
        .build(), context);
  }
}
