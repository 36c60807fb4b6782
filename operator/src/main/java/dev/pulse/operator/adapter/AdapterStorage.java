package dev.pulse.operator.adapter;

import dev.pulse.crd.common.PulseCondition;
import dev.pulse.crd.v1alpha1.ModelAdapter;
import dev.pulse.operator.support.Conditions;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import java.util.List;

/**
 * Whether the adapter's output PVC can be written by a training pod while the LLM server mounts it. The trainer Job
 * writes each generation to {@code spec.output.pvc} and vLLM / llama.cpp mount that same claim to serve it. A
 * ReadWriteOnce volume attaches to one node only: a retrain scheduled on another node than the running server waits in
 * ContainerCreating on a Multi-Attach error for ever (ReadWriteOncePod: even on the same node). ReadWriteMany is what
 * works; the user owns the claim, so the operator says so in the {@value #STORAGE} condition rather than guess.
 */
public final class AdapterStorage {

  public static final String STORAGE = "Storage";
  public static final String READ_WRITE_ONCE = "ReadWriteOnceStorage";

  private AdapterStorage() {}

  /** The {@value #STORAGE} condition for the output claim as read from the API server (null: it does not exist). */
  public static PulseCondition condition(ModelAdapter adapter, PersistentVolumeClaim claim) {
    String name = adapter.getSpec().getOutput().getPvc().getClaimName();
    if (claim == null) {
      return Conditions.unknown(STORAGE, "ClaimNotFound", "PersistentVolumeClaim " + name + " (spec.output.pvc) does "
          + "not exist yet: the training pod waits for it. Create it ReadWriteMany, so that a retrain can write while "
          + "the LLM server mounts it.");
    }
    List<String> modes = claim.getSpec() == null || claim.getSpec().getAccessModes() == null ? List.of()
        : claim.getSpec().getAccessModes();
    if (modes.contains("ReadWriteMany")) {
      return Conditions.of(STORAGE, true, "ReadWriteMany", "PersistentVolumeClaim " + name + " is ReadWriteMany: the "
          + "trainer and the LLM server can mount it on any nodes.");
    }
    return Conditions.of(STORAGE, false, READ_WRITE_ONCE, "PersistentVolumeClaim " + name + " is " + String.join(",",
        modes) + ", not ReadWriteMany: the LLM server mounts it to serve the adapter, so a retrain whose pod is "
        + (modes.contains("ReadWriteOncePod") ? "started while the server runs (ReadWriteOncePod: on any node)"
            : "scheduled on another node than the server's")
        + " waits in ContainerCreating on a Multi-Attach error until the server stops. Point spec.output.pvc at a "
        + "ReadWriteMany claim (a storage class such as NFS, CephFS, EFS, Filestore or Azure Files).");
  }
}
