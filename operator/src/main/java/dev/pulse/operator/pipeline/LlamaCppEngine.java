package dev.pulse.operator.pipeline;

import static dev.pulse.operator.pipeline.PipelineDefaults.or;

import dev.pulse.crd.v1alpha1.ModelAdapter;
import dev.pulse.crd.v1alpha1.SentimentPipeline;
import dev.pulse.crd.v1alpha1.adapter.GpuResources;
import dev.pulse.crd.v1alpha1.pipeline.LlmSpec;
import dev.pulse.operator.support.GpuScheduling;
import dev.pulse.operator.support.OwnedObjects;
import dev.pulse.operator.support.PulseImages;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.HTTPGetActionBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code spec.llm.engine: llamacpp}: llama.cpp's OpenAI-compatible server on CPUs, in place of vLLM, under the same
 * Deployment and Service names ({@link PipelineNames#vllm}), so the gateway and its settings do not change. The
 * image ({@code pulse-llamacpp}, built by hack/llm/build-llamacpp-image.sh from the cached llama-cpp-python wheel)
 * carries the model file; the ModelAdapter's llama.cpp adapter ({@code adapter.gguf} in its output) is served under
 * the adapter's name, the base model under {@code spec.llm.baseModel}: the names the gateway asks for, as with vLLM.
 */
public final class LlamaCppEngine {
  /** The adapter file the trainer writes beside peft's files for a GGUF base model. */
  static final String ADAPTER_FILE = "adapter.gguf";
  static final String IMAGE_NAME = "pulse-llamacpp";

  private LlamaCppEngine() {}

  /** The image: the CR's, else Pulse's pulse-llamacpp beside the gateway's image, at the build's tag. */
  static String image(LlmSpec llm, RenderInputs inputs) {
    if (llm.getImage() != null && !llm.getImage().isBlank()) {
      return llm.getImage();
    }
    String gateway = inputs.images().gateway();
    int slash = gateway.lastIndexOf('/');
    return (slash < 0 ? "" : gateway.substring(0, slash + 1)) + IMAGE_NAME + ":" + PulseImages.BuildImages.get().tag();
  }

  static List<String> args(LlmSpec llm, RenderInputs inputs, int threads) {
    List<String> args = new ArrayList<>(List.of("--host", "0.0.0.0", "--port", String.valueOf(VllmServer.PORT),
        "--threads", String.valueOf(threads), "--base-name", llm.getBaseModel()));
    ModelAdapter a = VllmServer.servable(inputs);
    if (a != null) {
      args.addAll(List.of("--adapter", a.getMetadata().getName() + "=" + VllmServer.adapterLocation(a) + "/" + ADAPTER_FILE));
    }
    return args;
  }

  public static Deployment deployment(SentimentPipeline p, LlmSpec llm, RenderInputs inputs) {
    GpuResources res = PipelineDefaults.gpu(llm);
    String cpu = or(res.getCpu(), "2");
    String memory = or(res.getMemory(), "1Gi");
    List<VolumeMount> mounts = new ArrayList<>(List.of(Pods.mount("tmp", "/tmp")));
    List<Volume> volumes = new ArrayList<>(List.of(Pods.emptyDir("tmp", "256Mi")));
    ModelAdapter a = VllmServer.servable(inputs);
    if (a != null && VllmServer.adapterClaim(a) != null) {
      mounts.add(new VolumeMountBuilder().withName("adapters").withMountPath(VllmServer.ADAPTER_MOUNT).withReadOnly(true).build());
      volumes.add(new VolumeBuilder().withName("adapters")
          .withNewPersistentVolumeClaim(VllmServer.adapterClaim(a), true).build());
    }
    Container container = new ContainerBuilder()
        .withName("llamacpp")
        .withImage(image(llm, inputs))
        .withArgs(args(llm, inputs, threads(cpu)))
        .addNewPort().withName("http").withContainerPort(VllmServer.PORT).endPort()
        .withEnv(Pods.env("HOME", "/tmp"))
        // CPU only: llama.cpp computes with as many threads as the pod has cores.
        .withResources(Pods.resources(cpu, memory, cpu, memory))
        .withVolumeMounts(mounts)
        .withStartupProbe(probe(5, 60))      // loading a small GGUF takes seconds; an adapter adds little
        .withReadinessProbe(probe(10, 3))
        .withLivenessProbe(probe(20, 3))
        .withSecurityContext(OwnedObjects.restrictedContainer())
        .build();
    return LlmServerDeployment.of(p, llm, container, volumes,
        new LlmServerDeployment.Scheduling(null, res.getNodeSelector(), GpuScheduling.affinity(res), null));
  }

  /** Whole cores of the CPU request (at least 1): "2" → 2, "1500m" → 1. */
  static int threads(String cpu) {
    double cores = new Quantity(cpu).getNumericalAmount().doubleValue();
    return Math.max(1, (int) Math.floor(cores));
  }

  private static Probe probe(int periodSeconds, int failureThreshold) {
    return new ProbeBuilder()
        .withHttpGet(new HTTPGetActionBuilder().withPath("/v1/models").withPort(new IntOrString("http")).build())
        .withPeriodSeconds(periodSeconds)
        .withTimeoutSeconds(5)
        .withFailureThreshold(failureThreshold)
        .build();
  }
}
