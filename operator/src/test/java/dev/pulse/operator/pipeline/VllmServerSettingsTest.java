package dev.pulse.operator.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pulse.crd.v1alpha1.ModelAdapter;
import dev.pulse.crd.v1alpha1.ModelAdapterStatus;
import dev.pulse.crd.v1alpha1.SentimentPipeline;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** vLLM settings that decide whether the server starts at all on a real GPU node. */
class VllmServerSettingsTest {

  private final SentimentPipeline pipeline = PipelineFixtures.northwind("brands");

  private static ModelAdapter adapterOfRank(int r) {
    ModelAdapter a = PipelineFixtures.adapter("brands", ModelAdapterStatus.Phase.Succeeded,
        "pvc://pulse-adapters/adapters/northwind-gemma-sentiment/1");
    a.getSpec().getLora().setR(r);
    return a;
  }

  private Deployment vllm(ModelAdapter adapter) {
    return VllmServer.vllmDeployment(pipeline, PipelineDefaults.llm(pipeline), PipelineFixtures.inputs(adapter));
  }

  private static String flag(List<String> args, String name) {
    int i = args.indexOf(name);
    return i < 0 ? null : args.get(i + 1);
  }

  @Test
  void maxLoraRankIsRoundedUpToAValueVllmAccepts() {
    assertThat(VllmServer.maxLoraRank(24)).isEqualTo(32);
    assertThat(VllmServer.maxLoraRank(32)).isEqualTo(32);
    assertThat(VllmServer.maxLoraRank(300)).isEqualTo(320);
    assertThatThrownBy(() -> VllmServer.maxLoraRank(600)).hasMessageContaining("512");
    List<String> args = vllm(adapterOfRank(48)).getSpec().getTemplate().getSpec().getContainers().get(0).getArgs();
    assertThat(flag(args, "--max-lora-rank")).isEqualTo("64");
    List<String> small = vllm(adapterOfRank(8)).getSpec().getTemplate().getSpec().getContainers().get(0).getArgs();
    assertThat(small).as("vLLM's default of 16 holds r=8").doesNotContain("--max-lora-rank");
  }

  @Test
  void theChatTemplateTheAdapterWasTrainedWithIsPassedToVllm() {
    ModelAdapter adapter = adapterOfRank(16);
    List<String> without = vllm(adapter).getSpec().getTemplate().getSpec().getContainers().get(0).getArgs();
    assertThat(without).as("the trainer wrote none: vLLM uses the base model's").doesNotContain("--chat-template");

    adapter.getStatus().setChatTemplate("chat_template.jinja");
    List<String> args = vllm(adapter).getSpec().getTemplate().getSpec().getContainers().get(0).getArgs();
    assertThat(flag(args, "--chat-template"))
        .isEqualTo("/adapters/adapters/northwind-gemma-sentiment/1/chat_template.jinja");
    assertThat(flag(args, "--lora-modules")).isEqualTo("northwind-gemma-sentiment=/adapters/adapters/"
        + "northwind-gemma-sentiment/1");
  }

  @Test
  void aUidWithoutPasswdEntryStillHasAUserAndWritableCaches() {
    Map<String, String> env = vllm(adapterOfRank(16)).getSpec().getTemplate().getSpec().getContainers().get(0)
        .getEnv().stream().filter(e -> e.getValue() != null).collect(Collectors.toMap(EnvVar::getName, EnvVar::getValue));
    assertThat(env).containsEntry("USER", "vllm").containsEntry("HOME", "/tmp")
        .containsEntry("TORCHINDUCTOR_CACHE_DIR", "/cache/torchinductor");
  }

  @Test
  void runtimeClassIsSettable() {
    PipelineDefaults.gpu(PipelineDefaults.llm(pipeline)).setRuntimeClassName("nvidia");
    PodSpec pod = vllm(adapterOfRank(16)).getSpec().getTemplate().getSpec();
    assertThat(pod.getRuntimeClassName()).isEqualTo("nvidia");
  }
}
