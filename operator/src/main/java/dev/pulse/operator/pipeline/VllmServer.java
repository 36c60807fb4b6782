package dev.pulse.operator.pipeline;

import static dev.pulse.operator.pipeline.PipelineDefaults.or;

import dev.pulse.crd.v1alpha1.ModelAdapter;
import dev.pulse.crd.v1alpha1.ModelAdapterStatus;
import dev.pulse.crd.v1alpha1.SentimentPipeline;
import dev.pulse.crd.v1alpha1.adapter.GpuResources;
import dev.pulse.crd.v1alpha1.pipeline.LlmSpec;
import dev.pulse.operator.support.GpuScheduling;
import dev.pulse.operator.support.OwnedObjects;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HTTPGetActionBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * vLLM's OpenAI-compatible server for the pipeline's base model, serving the trained LoRA adapter under the
 * ModelAdapter's name once that adapter has Succeeded. A new adapter changes {@code --lora-modules}, so the
 * pod template changes and the Deployment rolls (chosen over hot-loading through vLLM's runtime LoRA API:
 * the served set is then always what the Deployment says, and survives a pod restart).
 */
public final class VllmServer {

  public static final int PORT = 8000;
  /** Where the adapters' PVC is mounted, read-only. */
  static final String ADAPTER_MOUNT = "/adapters";
  static final String MODEL_CACHE = "/models";
  static final String PVC_SCHEME = "pvc://";

  private VllmServer() {}

  /** The adapter vLLM can serve: a Succeeded ModelAdapter with a path; otherwise null. */
  public static ModelAdapter servable(RenderInputs inputs) {
    ModelAdapter a = inputs.adapter();
    ModelAdapterStatus s = a == null ? null : a.getStatus();
    return s != null && s.getPhase() == ModelAdapterStatus.Phase.Succeeded && s.getAdapterPath() != null ? a : null;
  }

  /** The model name the gateway asks vLLM for: the served adapter's name, else the base model. */
  public static String servedModel(LlmSpec llm, RenderInputs inputs) {
    ModelAdapter a = servable(inputs);
    return a != null ? a.getMetadata().getName() : llm.getBaseModel();
  }

  static List<String> args(LlmSpec llm, RenderInputs inputs) {
    List<String> args = new ArrayList<>(List.of("--model", llm.getBaseModel()));
    LlmSpec.Quantization q = or(llm.getQuantization(), LlmSpec.Quantization.BITSANDBYTES);
    if (q != LlmSpec.Quantization.NONE) {
      args.addAll(List.of("--quantization", q.name().toLowerCase(java.util.Locale.ROOT)));
    }
    args.addAll(List.of("--enable-lora", "--max-loras", String.valueOf(or(llm.getMaxLoras(), 4))));
    ModelAdapter a = servable(inputs);
    if (a != null) {
      Integer rank = a.getSpec() == null || a.getSpec().getLora() == null ? null : a.getSpec().getLora().getR();
      if (rank != null && rank > 16) {
        args.addAll(List.of("--max-lora-rank", String.valueOf(maxLoraRank(rank))));   // vLLM's default is 16
      }
      args.addAll(List.of("--lora-modules", a.getMetadata().getName() + "=" + adapterLocation(a)));
      chatTemplate(a).ifPresent(file -> args.addAll(List.of("--chat-template", file)));
    }
    args.addAll(List.of("--port", String.valueOf(PORT)));
    return args;
  }

  /**
   * The chat template the adapter was trained with, where the trainer wrote one next to it and vLLM can read it
   * (a mounted volume): without it vLLM renders prompts with the base model's template, or none (Phi-2), which the
   * adapter never saw.
   */
  static java.util.Optional<String> chatTemplate(ModelAdapter a) {
    String file = a.getStatus().getChatTemplate();
    String dir = adapterLocation(a);
    return file == null || !dir.startsWith(ADAPTER_MOUNT) ? java.util.Optional.empty()
        : java.util.Optional.of(dir + "/" + file);
  }

  /**
   * vLLM accepts only these --max-lora-rank values (vllm/config/lora.py, {@code MaxLoRARanks}) and refuses to start
   * on any other; an adapter's r is served by the smallest one that holds it.
   */
  static final List<Integer> MAX_LORA_RANKS = List.of(1, 8, 16, 32, 64, 128, 256, 320, 512);

  static int maxLoraRank(int r) {
    return MAX_LORA_RANKS.stream().filter(v -> v >= r).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("LoRA rank " + r + " is above vLLM's largest, 512"));
  }

  /**
   * Where vLLM finds the adapter. The ModelAdapter reports a PVC output as {@code pvc://<claim>/<path in the
   * volume>}; vLLM sees that claim under {@link #ADAPTER_MOUNT}. Anything else (an object-store URI) is passed
   * as the trainer reported it.
   */
  static String adapterLocation(ModelAdapter a) {
    String path = a.getStatus().getAdapterPath();
    if (path.startsWith(PVC_SCHEME)) {
      String rest = path.substring(PVC_SCHEME.length());
      int slash = rest.indexOf('/');
      return ADAPTER_MOUNT + (slash < 0 ? "" : rest.substring(slash));
    }
    if (adapterClaim(a) != null && path.startsWith("/")) {
      return ADAPTER_MOUNT + path;
    }
    return path;
  }

  /** The PVC holding the adapter: from a pvc:// path, else the adapter's output PVC; null for object stores. */
  static String adapterClaim(ModelAdapter a) {
    String path = a.getStatus() == null ? null : a.getStatus().getAdapterPath();
    if (path != null && path.startsWith(PVC_SCHEME)) {
      String rest = path.substring(PVC_SCHEME.length());
      int slash = rest.indexOf('/');
      return slash < 0 ? rest : rest.substring(0, slash);
    }
    return a.getSpec() == null || a.getSpec().getOutput() == null || a.getSpec().getOutput().getPvc() == null
        ? null : a.getSpec().getOutput().getPvc().getClaimName();
  }

  /** The LLM server's Deployment: vLLM, or llama.cpp on CPUs for {@code spec.llm.engine: llamacpp}. */
  public static Deployment deployment(SentimentPipeline p, LlmSpec llm, RenderInputs inputs) {
    return llm.llamaCpp() ? LlamaCppEngine.deployment(p, llm, inputs) : vllmDeployment(p, llm, inputs);
  }

  static Deployment vllmDeployment(SentimentPipeline p, LlmSpec llm, RenderInputs inputs) {
    GpuResources gpu = PipelineDefaults.gpu(llm);
    List<EnvVar> env = new ArrayList<>();
    // Model weights, vLLM's compile caches and HOME all live on writable volumes; the image stays read-only.
    env.add(Pods.env("HF_HOME", MODEL_CACHE + "/huggingface"));
    env.add(Pods.env("VLLM_CACHE_ROOT", "/cache/vllm"));
    env.add(Pods.env("TRITON_CACHE_DIR", "/cache/triton"));
    env.add(Pods.env("XDG_CACHE_HOME", "/cache"));
    env.add(Pods.env("HOME", "/tmp"));
    // The pod's uid has no passwd entry: Python's getpass.getuser() (TorchInductor's cache path) reads USER first.
    env.add(Pods.env("USER", "vllm"));
    env.add(Pods.env("TORCHINDUCTOR_CACHE_DIR", "/cache/torchinductor"));
    env.add(Pods.env("VLLM_NO_USAGE_STATS", "1"));
    env.add(Pods.env("DO_NOT_TRACK", "1"));
    if (llm.getHubTokenSecret() != null) {
      env.add(Pods.secretEnv("HF_TOKEN", llm.getHubTokenSecret(), "token"));
    }
    List<VolumeMount> mounts = new ArrayList<>(List.of(
        Pods.mount("model-cache", MODEL_CACHE), Pods.mount("cache", "/cache"),
        Pods.mount("tmp", "/tmp"), Pods.mount("dshm", "/dev/shm")));
    List<Volume> volumes = new ArrayList<>(List.of(
        Pods.emptyDir("model-cache", "40Gi"), Pods.emptyDir("cache", "10Gi"),
        Pods.emptyDir("tmp", "2Gi"), Pods.memoryDir("dshm", "2Gi")));
    ModelAdapter a = servable(inputs);
    if (a != null && adapterClaim(a) != null) {
      mounts.add(new io.fabric8.kubernetes.api.model.VolumeMountBuilder()
          .withName("adapters").withMountPath(ADAPTER_MOUNT).withReadOnly(true).build());
      volumes.add(new VolumeBuilder().withName("adapters")
          .withNewPersistentVolumeClaim(adapterClaim(a), true).build());
    }
    Container container = new ContainerBuilder()
        .withName("vllm")
        .withImage(or(llm.getImage(), inputs.images().vllm()))
        // The API server module accepts --model on every vLLM release, unlike the image's `vllm serve` entrypoint.
        .withCommand("python3", "-m", "vllm.entrypoints.openai.api_server")
        .withArgs(args(llm, inputs))
        .addNewPort().withName("http").withContainerPort(PORT).endPort()
        .withEnv(env)
        .withResources(resources(gpu))
        .withVolumeMounts(mounts)
        .withStartupProbe(probe(10, 90))      // downloading and loading weights takes minutes: up to 15 min
        .withReadinessProbe(probe(10, 3))
        .withLivenessProbe(probe(20, 3))
        .withSecurityContext(OwnedObjects.restrictedContainer())
        .build();
    // GPU node pools are usually tainted: tolerate <gpuResourceName>:NoSchedule, plus the user's; their selector and
    // affinity as given.
    return LlmServerDeployment.of(p, llm, container, volumes, new LlmServerDeployment.Scheduling(
        GpuScheduling.tolerations(gpu, or(gpu.getGpus(), 1)), GpuScheduling.nodeSelector(gpu),
        GpuScheduling.affinity(gpu), gpu.getRuntimeClassName()));
  }

  public static Service service(SentimentPipeline p) {
    return Pods.service(p, PipelineNames.vllm(p), PipelineNames.VLLM, "vllm", PORT);
  }

  private static ResourceRequirements resources(GpuResources gpu) {
    Map<String, Quantity> requests = new LinkedHashMap<>();
    requests.put("cpu", new Quantity(or(gpu.getCpu(), "2")));
    requests.put("memory", new Quantity(or(gpu.getMemory(), "16Gi")));
    Map<String, Quantity> limits = new LinkedHashMap<>(requests);
    int gpus = or(gpu.getGpus(), 1);
    if (gpus > 0) {
      // Extended resources are limits-only in spirit; the API server copies the limit into the request.
      limits.put(GpuScheduling.gpuResource(gpu), new Quantity(String.valueOf(gpus)));
      requests.put(GpuScheduling.gpuResource(gpu), new Quantity(String.valueOf(gpus)));
    }
    return new ResourceRequirementsBuilder().withRequests(requests).withLimits(limits).build();
  }

  private static Probe probe(int periodSeconds, int failureThreshold) {
    return new ProbeBuilder()
        .withHttpGet(new HTTPGetActionBuilder().withPath("/health").withPort(new IntOrString("http")).build())
        .withPeriodSeconds(periodSeconds)
        .withTimeoutSeconds(5)
        .withFailureThreshold(failureThreshold)
        .build();
  }
}
