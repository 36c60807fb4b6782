package dev.pulse.operator.support;

import dev.pulse.crd.v1alpha1.adapter.GpuResources;
import dev.pulse.crd.v1alpha1.adapter.GpuToleration;
import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.AffinityBuilder;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.TolerationBuilder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Where GPU pods (vLLM, the trainer) may run: tolerations, node selector and affinity, the same for both. */
public final class GpuScheduling {

  public static final String DEFAULT_GPU_RESOURCE = "nvidia.com/gpu";

  private GpuScheduling() {}

  public static String gpuResource(GpuResources resources) {
    return resources == null || resources.getGpuResourceName() == null ? DEFAULT_GPU_RESOURCE
        : resources.getGpuResourceName();
  }

  /**
   * With GPUs: a toleration of the {@code <gpuResourceName>:NoSchedule} taint (GPU node pools are commonly tainted
   * with their resource name, e.g. GKE and the NVIDIA GPU operator's nvidia.com/gpu, so only GPU pods land there),
   * then the user's. Without GPUs only the user's.
   */
  public static List<Toleration> tolerations(GpuResources resources, int gpus) {
    List<Toleration> tolerations = new ArrayList<>();
    if (gpus > 0) {
      tolerations.add(new TolerationBuilder().withKey(gpuResource(resources)).withOperator("Exists")
          .withEffect("NoSchedule").build());
    }
    if (resources != null && resources.getTolerations() != null) {
      for (GpuToleration t : resources.getTolerations()) {
        tolerations.add(new TolerationBuilder()
            .withKey(t.getKey())
            .withOperator(t.getOperator() == null ? null
                : t.getOperator() == GpuToleration.Operator.EXISTS ? "Exists" : "Equal")
            .withValue(t.getValue())
            .withEffect(t.getEffect() == null ? null : switch (t.getEffect()) {
              case NO_SCHEDULE -> "NoSchedule";
              case PREFER_NO_SCHEDULE -> "PreferNoSchedule";
              case NO_EXECUTE -> "NoExecute";
            })
            .withTolerationSeconds(t.getTolerationSeconds())
            .build());
      }
    }
    return tolerations;
  }

  /** The user's node selector, or null (no constraint beyond the GPU resource). */
  public static Map<String, String> nodeSelector(GpuResources resources) {
    return resources == null || resources.getNodeSelector() == null || resources.getNodeSelector().isEmpty() ? null
        : new LinkedHashMap<>(resources.getNodeSelector());
  }

  /**
   * The user's affinity (node affinity such as "any of these GPU products", pod (anti-)affinity), or null. A copy:
   * the rendered pod must not share objects with the resource it came from.
   */
  public static Affinity affinity(GpuResources resources) {
    return resources == null || resources.getAffinity() == null ? null
        : new AffinityBuilder(resources.getAffinity()).build();
  }
}
