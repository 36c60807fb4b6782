package dev.pulse.operator.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pulse.crd.v1alpha1.ModelAdapterStatus;
import dev.pulse.crd.v1alpha1.SentimentPipeline;
import dev.pulse.crd.v1alpha1.adapter.GpuResources;
import dev.pulse.crd.v1alpha1.pipeline.LlmSpec;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** spec.llm.engine: llamacpp renders llama.cpp on CPUs in vLLM's place, behind the same Service and gateway. */
class LlamaCppEngineTest {

  private static List<HasMetadata> render(ModelAdapterStatus.Phase phase) {
    SentimentPipeline p = PipelineFixtures.northwind("brands");
    p.getSpec().getLlm().setEngine(LlmSpec.Engine.LLAMACPP);
    GpuResources cpuOnly = new GpuResources();
    cpuOnly.setCpu("3");
    cpuOnly.setMemory("768Mi");
    p.getSpec().getLlm().setResources(cpuOnly);
    return SentimentPipelineObjects.desired(p, PipelineFixtures.inputs(
        PipelineFixtures.adapter("brands", phase, "pvc://pulse-adapters/adapters/northwind-gemma-sentiment/1")));
  }

  private static <T> T one(List<HasMetadata> objects, Class<T> type, String name) {
    return objects.stream().filter(type::isInstance).filter(o -> o.getMetadata().getName().equals(name))
        .map(type::cast).findFirst().orElseThrow(() -> new AssertionError("no " + type.getSimpleName() + " " + name));
  }

  @Test
  void llamaCppServesTheAdaptersGgufOnCpusWithoutAGpu() {
    Deployment d = one(render(ModelAdapterStatus.Phase.Succeeded), Deployment.class, "northwind-vllm");
    Container c = d.getSpec().getTemplate().getSpec().getContainers().get(0);

    assertThat(c.getName()).isEqualTo("llamacpp");
    assertThat(c.getImage()).endsWith("/pulse-llamacpp:" + dev.pulse.operator.support.PulseImages.BuildImages.get().tag());
    assertThat(c.getArgs()).containsSubsequence("--port", "8000").containsSubsequence("--threads", "3")
        .containsSubsequence("--base-name", "google/gemma-2b")
        .containsSubsequence("--adapter",
            "northwind-gemma-sentiment=/adapters/adapters/northwind-gemma-sentiment/1/adapter.gguf");
    assertThat(c.getResources().getRequests()).containsOnlyKeys("cpu", "memory");
    assertThat(c.getResources().getLimits()).doesNotContainKey("nvidia.com/gpu");
    assertThat(c.getResources().getRequests().get("cpu").toString()).isEqualTo("3");
    assertThat(c.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/v1/models");
    assertThat(c.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
    assertThat(d.getSpec().getTemplate().getSpec().getTolerations()).isNullOrEmpty();
    assertThat(d.getSpec().getTemplate().getSpec().getVolumes())
        .filteredOn(v -> v.getPersistentVolumeClaim() != null).singleElement()
        .satisfies(v -> assertThat(v.getPersistentVolumeClaim().getClaimName()).isEqualTo("pulse-adapters"));
  }

  @Test
  void beforeTheAdapterSucceedsOnlyTheBaseModelIsServed() {
    Container c = one(render(ModelAdapterStatus.Phase.Training), Deployment.class, "northwind-vllm")
        .getSpec().getTemplate().getSpec().getContainers().get(0);
    assertThat(c.getArgs()).doesNotContain("--adapter").containsSubsequence("--base-name", "google/gemma-2b");
  }

  @Test
  void theServiceAndTheGatewayAreTheSameAsForVllm() {
    List<HasMetadata> objects = render(ModelAdapterStatus.Phase.Succeeded);
    assertThat(one(objects, Service.class, "northwind-vllm").getSpec().getPorts().get(0).getPort()).isEqualTo(8000);
    Container gateway = one(objects, Deployment.class, "northwind-llm-gateway").getSpec().getTemplate().getSpec()
        .getContainers().get(0);
    Map<String, EnvVar> env = gateway.getEnv().stream().collect(Collectors.toMap(EnvVar::getName, e -> e));
    assertThat(env.get("PULSE_VLLM_BASE_URL").getValue()).isEqualTo("http://northwind-vllm.brands.svc:8000/v1");
    // The name the gateway asks for is the adapter's, which the llama.cpp server serves (--adapter NAME=...).
    assertThat(env.get("PULSE_LLM_MODEL").getValue()).isEqualTo("northwind-gemma-sentiment");
  }

  @Test
  void threadsAreTheWholeCoresOfTheCpuRequest() {
    assertThat(LlamaCppEngine.threads("2")).isEqualTo(2);
    assertThat(LlamaCppEngine.threads("1500m")).isEqualTo(1);
    assertThat(LlamaCppEngine.threads("250m")).isEqualTo(1);
  }
}
