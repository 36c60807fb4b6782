package dev.pulse.crd.v1alpha1.adapter;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.pulse.crd.common.Validation;
import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;
import java.util.Map;

/** Compute for a GPU workload (training Job or vLLM server). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class GpuResources {

  @Default("1")
  @Min(0)
  @Max(8)
  @JsonPropertyDescription("GPUs per pod (0-8). 0 runs on CPU (plain LoRA, slow; for tests). Default 1.")
  private Integer gpus;

  @Default("nvidia.com/gpu")
  @Size(min = 1, max = 253)
  @ValidationRule(value = "self.matches('^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\\\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?[a-z0-9]([-a-z0-9_.]*[a-z0-9])?$')", message = "must be an extended resource name such as nvidia.com/gpu or amd.com/gpu")
  @JsonPropertyDescription("Extended resource name of the GPU. Default nvidia.com/gpu.")
  private String gpuResourceName;

  @Default("2")
  @Size(min = 1, max = 32)
  @ValidationRule(value = Validation.QUANTITY_RULE, message = Validation.QUANTITY_MESSAGE)
  @JsonPropertyDescription("CPU request and limit, as a Kubernetes quantity (e.g. 2, 1500m). Default 2.")
  private String cpu;

  @Default("16Gi")
  @Size(min = 1, max = 32)
  @ValidationRule(value = Validation.QUANTITY_RULE, message = Validation.QUANTITY_MESSAGE)
  @JsonPropertyDescription("Memory request and limit, as a Kubernetes quantity (e.g. 16Gi). Default 16Gi.")
  private String memory;

  @Size(max = 16)
  @JsonPropertyDescription("Tolerations added to the pod, after the one Pulse always adds when gpus > 0 (<gpuResourceName>"
      + " Exists NoSchedule, the taint GPU node pools commonly carry). For pools tainted otherwise, e.g. a dedicated=gpu taint.")
  private List<GpuToleration> tolerations;

  @Size(max = 20)
  @JsonPropertyDescription("Node labels the pod must match (the Pod's nodeSelector), e.g. {\"cloud.google.com/gke-accelerator\":"
      + " \"nvidia-l4\"} or {\"nvidia.com/gpu.product\": \"NVIDIA-A10G\"}. Empty: any node with the GPU resource.")
  private Map<String, String> nodeSelector;

  @Size(min = 1, max = 253)
  @ValidationRule(value = Validation.DNS1123_SUBDOMAIN_RULE, message = "must be a RuntimeClass name: lower-case letters, digits, '-' and '.'")
  @JsonPropertyDescription("RuntimeClass of the pod, e.g. nvidia where the NVIDIA container runtime is not the node's default"
      + " (GPU Operator installs with a RuntimeClass). Omit to use the node's default runtime.")
  private String runtimeClassName;

  @JsonPropertyDescription("Affinity of the pod, as in a Pod's spec.affinity (kubectl explain pod.spec.affinity):"
      + " nodeAffinity, podAffinity, podAntiAffinity. E.g. nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution"
      + " with a matchExpressions term on nvidia.com/gpu.product In [NVIDIA-L4, NVIDIA-A10G] for any of several GPU"
      + " types, which nodeSelector cannot say. Applied with nodeSelector and tolerations; omit for none.")
  private Affinity affinity;

  public Integer getGpus() { return gpus; }
  public void setGpus(Integer gpus) { this.gpus = gpus; }
  public String getGpuResourceName() { return gpuResourceName; }
  public void setGpuResourceName(String gpuResourceName) { this.gpuResourceName = gpuResourceName; }
  public String getCpu() { return cpu; }
  public void setCpu(String cpu) { this.cpu = cpu; }
  public String getMemory() { return memory; }
  public List<GpuToleration> getTolerations() { return tolerations; }
  public void setTolerations(List<GpuToleration> tolerations) { this.tolerations = tolerations; }
  public Map<String, String> getNodeSelector() { return nodeSelector; }
  public void setNodeSelector(Map<String, String> nodeSelector) { this.nodeSelector = nodeSelector; }
  public void setMemory(String memory) { this.memory = memory; }
  public String getRuntimeClassName() { return runtimeClassName; }
  public void setRuntimeClassName(String runtimeClassName) { this.runtimeClassName = runtimeClassName; }
  public Affinity getAffinity() { return affinity; }
  public void setAffinity(Affinity affinity) { this.affinity = affinity; }
}
