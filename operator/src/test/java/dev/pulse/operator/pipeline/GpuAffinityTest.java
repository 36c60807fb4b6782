package dev.pulse.operator.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pulse.crd.v1alpha1.ModelAdapter;
import dev.pulse.crd.v1alpha1.ModelAdapterStatus;
import dev.pulse.crd.v1alpha1.SentimentPipeline;
import dev.pulse.crd.v1alpha1.adapter.GpuResources;
import dev.pulse.crd.v1alpha1.pipeline.LlmSpec;
import dev.pulse.operator.adapter.ModelAdapterObjects;
import dev.pulse.operator.support.PulseImages;
import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.AffinityBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import org.junit.jupiter.api.Test;

/**
 * spec...resources.affinity reaches every pod GpuResources shapes: the vLLM server, the llama.cpp server and the
 * training Job, as given (nodeSelector cannot say "any of these GPU products"), and as a copy of the resource's.
 */
class GpuAffinityTest {

  private static Affinity anyOfTwoGpuProducts() {
    return new AffinityBuilder()
        .withNewNodeAffinity()
          .withNewRequiredDuringSchedulingIgnoredDuringExecution()
            .addNewNodeSelectorTerm()
              .addNewMatchExpression().withKey("nvidia.com/gpu.product").withOperator("In")
                .withValues("NVIDIA-L4", "NVIDIA-A10G").endMatchExpression()
            .endNodeSelectorTerm()
          .endRequiredDuringSchedulingIgnoredDuringExecution()
        .endNodeAffinity()
        .withNewPodAntiAffinity()
          .addNewPreferredDuringSchedulingIgnoredDuringExecution().withWeight(50)
            .withNewPodAffinityTerm().withTopologyKey("kubernetes.io/hostname")
              .withNewLabelSelector().addToMatchLabels("app.kubernetes.io/component", "trainer").endLabelSelector()
            .endPodAffinityTerm()
          .endPreferredDuringSchedulingIgnoredDuringExecution()
        .endPodAntiAffinity()
        .build();
  }

  private static GpuResources withAffinity(GpuResources resources, Affinity affinity) {
    GpuResources r = resources == null ? new GpuResources() : resources;
    r.setAffinity(affinity);
    return r;
  }

  private static PodSpec llmServerPod(SentimentPipeline p) {
    Deployment d = SentimentPipelineObjects.desired(p, PipelineFixtures.inputs(null)).stream()
        .filter(Deployment.class::isInstance).map(Deployment.class::cast)
        .filter(o -> o.getMetadata().getName().equals(PipelineNames.vllm(p))).findFirst().orElseThrow();
    return d.getSpec().getTemplate().getSpec();
  }

  @Test
  void theAffinityReachesTheVllmServer() {
    SentimentPipeline p = PipelineFixtures.northwind("gpu");
    Affinity given = anyOfTwoGpuProducts();
    p.getSpec().getLlm().setResources(withAffinity(p.getSpec().getLlm().getResources(), given));

    PodSpec pod = llmServerPod(p);

    assertThat(pod.getContainers().get(0).getName()).isEqualTo("vllm");
    assertThat(pod.getAffinity()).isEqualTo(anyOfTwoGpuProducts()).isNotSameAs(given);
    assertThat(pod.getAffinity().getNodeAffinity()).isNotSameAs(given.getNodeAffinity());
    assertThat(pod.getTolerations()).as("the GPU taint is still tolerated").isNotEmpty();
  }

  @Test
  void theAffinityReachesTheLlamaCppServer() {
    SentimentPipeline p = PipelineFixtures.northwind("cpu");
    p.getSpec().getLlm().setEngine(LlmSpec.Engine.LLAMACPP);
    GpuResources cpuOnly = new GpuResources();
    cpuOnly.setCpu("2");
    p.getSpec().getLlm().setResources(withAffinity(cpuOnly, anyOfTwoGpuProducts()));

    PodSpec pod = llmServerPod(p);

    assertThat(pod.getContainers().get(0).getName()).isEqualTo("llamacpp");
    assertThat(pod.getAffinity()).isEqualTo(anyOfTwoGpuProducts());
  }

  @Test
  void theAffinityReachesTheTrainingJob() {
    ModelAdapter adapter = PipelineFixtures.adapter("gpu", ModelAdapterStatus.Phase.Pending, null);
    Affinity given = anyOfTwoGpuProducts();
    adapter.getSpec().setResources(withAffinity(adapter.getSpec().getResources(), given));

    PodSpec pod = ModelAdapterObjects.job(adapter, PulseImages.defaults()).getSpec().getTemplate().getSpec();

    assertThat(pod.getAffinity()).isEqualTo(anyOfTwoGpuProducts()).isNotSameAs(given);
  }

  @Test
  void noAffinityUnlessGiven() {
    SentimentPipeline p = PipelineFixtures.northwind("gpu");
    ModelAdapter adapter = PipelineFixtures.adapter("gpu", ModelAdapterStatus.Phase.Pending, null);

    assertThat(llmServerPod(p).getAffinity()).isNull();
    assertThat(ModelAdapterObjects.job(adapter, PulseImages.defaults()).getSpec().getTemplate().getSpec()
        .getAffinity()).isNull();
  }
}
