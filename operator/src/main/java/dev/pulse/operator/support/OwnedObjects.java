package dev.pulse.operator.support;

import io.fabric8.kubernetes.api.model.Capabilities;
import io.fabric8.kubernetes.api.model.CapabilitiesBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSecurityContextBuilder;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.SecurityContextBuilder;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Conventions every object the operator creates follows: owner reference to the Pulse resource (so
 * deleting it garbage-collects them), the app.kubernetes.io labels, and the restricted Pod Security
 * profile. One place, so no reconciler can forget one.
 */
public final class OwnedObjects {

  public static final String MANAGED_BY = "pulse-operator";
  public static final String PART_OF = "pulse";
  /**
   * The numeric user and group the project's images run as (hack/images: the base images' {@code nonroot}, Jib's
   * {@code <user>}, the trainer image); pods run as it so that what the image owns is theirs.
   */
  public static final long IMAGE_UID = 65532L;
  /** The full name of the Pulse owner, on pod templates whose pods are mapped back to it (a label holds 63 characters). */
  public static final String OWNER_ANNOTATION = "pulse.dev/owner";

  private OwnedObjects() {}

  /**
   * The owner's name as a label value: the name itself up to 63 characters, else cut with a hash
   * ({@link OwnedNames#labelValue}); {@link #OWNER_ANNOTATION} then carries the full name where it is needed.
   */
  public static String ownerLabel(HasMetadata owner) {
    return OwnedNames.labelValue(owner.getMetadata().getName());
  }

  /** Labels for an object that implements {@code component} of {@code owner}. */
  public static Map<String, String> labels(HasMetadata owner, String component) {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put("app.kubernetes.io/name", "pulse-" + component);
    labels.put("app.kubernetes.io/instance", ownerLabel(owner));
    labels.put("app.kubernetes.io/component", component);
    labels.put("app.kubernetes.io/part-of", PART_OF);
    labels.put("app.kubernetes.io/managed-by", MANAGED_BY);
    labels.put("pulse.dev/" + owner.getKind().toLowerCase(Locale.ROOT), ownerLabel(owner));
    return labels;
  }

  /** The labels that select pods of {@code component} of {@code owner} (a stable subset of {@link #labels}). */
  public static Map<String, String> selector(HasMetadata owner, String component) {
    Map<String, String> selector = new LinkedHashMap<>();
    selector.put("app.kubernetes.io/instance", ownerLabel(owner));
    selector.put("app.kubernetes.io/component", component);
    selector.put("pulse.dev/" + owner.getKind().toLowerCase(Locale.ROOT), ownerLabel(owner));
    return selector;
  }

  public static OwnerReference controllerReference(HasMetadata owner) {
    return new OwnerReferenceBuilder()
        .withApiVersion(owner.getApiVersion())
        .withKind(owner.getKind())
        .withName(owner.getMetadata().getName())
        .withUid(owner.getMetadata().getUid())
        .withController(true)
        .withBlockOwnerDeletion(true)
        .build();
  }

  /** Metadata of an owned object: same namespace, Pulse labels, controller owner reference. */
  public static ObjectMeta metadata(HasMetadata owner, String name, String component) {
    return new ObjectMetaBuilder()
        .withName(name)
        .withNamespace(owner.getMetadata().getNamespace())
        .withLabels(labels(owner, component))
        .withOwnerReferences(controllerReference(owner))
        .build();
  }

  /** Pod-level part of the restricted Pod Security Standard. */
  public static PodSecurityContext restrictedPod() {
    return new PodSecurityContextBuilder()
        .withRunAsNonRoot(true)
        .withRunAsUser(IMAGE_UID)
        .withRunAsGroup(IMAGE_UID)
        .withFsGroup(IMAGE_UID)
        .withNewSeccompProfile().withType("RuntimeDefault").endSeccompProfile()
        .build();
  }

  /** Container-level part: no privilege escalation, no capabilities, read-only root file system. */
  public static SecurityContext restrictedContainer() {
    Capabilities dropAll = new CapabilitiesBuilder().withDrop("ALL").build();
    return new SecurityContextBuilder()
        .withAllowPrivilegeEscalation(false)
        .withReadOnlyRootFilesystem(true)
        .withRunAsNonRoot(true)
        .withCapabilities(dropAll)
        .build();
  }
}
