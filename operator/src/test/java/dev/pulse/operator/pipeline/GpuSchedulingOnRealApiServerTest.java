package dev.pulse.operator.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pulse.crd.v1alpha1.ModelAdapter;
import dev.pulse.crd.v1alpha1.SentimentPipeline;
import dev.pulse.operator.adapter.ModelAdapterObjects;
import dev.pulse.operator.support.PulseImages;
import dev.pulse.testing.CrdInstaller;
import dev.pulse.testing.KubeApiServer;
import dev.pulse.testing.Samples;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * GPU pods land on GPU nodes, which are usually tainted {@code nvidia.com/gpu:NoSchedule}: vLLM and the trainer
 * tolerate that taint by default, and the user's tolerations, node selector and affinity (spec...resources) reach
 * the pods, through the real CRD schema (which must not prune the affinity) and the real Deployment/Job validation.
 */
class GpuSchedulingOnRealApiServerTest {

  private static final Map<String, Object> USER_SCHEDULING = Map.of(
      "tolerations", List.of(Map.of("key", "dedicated", "operator", "Equal", "value", "gpu", "effect", "NoSchedule")),
      "nodeSelector", Map.of("nvidia.com/gpu.present", "true"),
      // Any of two GPU products, which a nodeSelector cannot say.
      "affinity", Map.of("nodeAffinity", Map.of("requiredDuringSchedulingIgnoredDuringExecution", Map.of(
          "nodeSelectorTerms", List.of(Map.of("matchExpressions", List.of(Map.of(
              "key", "nvidia.com/gpu.product", "operator", "In", "values", List.of("NVIDIA-L4", "NVIDIA-A10G")))))))));

  private static KubeApiServer server;
  private static KubernetesClient client;

  @BeforeAll
  static void apiServer() {
    server = KubeApiServer.shared();
    client = server.client();
    CrdInstaller.installAll(client);
  }

  @Test
  void vllmAndTheTrainerTolerateTheGpuTaintByDefault() {
    String namespace = server.createNamespace("gpu-default");
    PodSpec vllm = applied(vllm(created(namespace, "sentimentpipeline-northwind.yaml", "SentimentPipeline",
        SentimentPipeline.class, null)));
    PodSpec trainer = applied(job(created(namespace, "modeladapter-gemma.yaml", "ModelAdapter", ModelAdapter.class,
        null)));
    for (PodSpec pod : List.of(vllm, trainer)) {
      assertThat(pod.getTolerations()).extracting(t -> t.getKey() + " " + t.getOperator() + " " + t.getEffect())
          .containsExactly("nvidia.com/gpu Exists NoSchedule");
      assertThat(pod.getNodeSelector()).isNullOrEmpty();
      assertThat(pod.getAffinity()).isNull();
    }
  }

  @Test
  void theUsersTolerationsNodeSelectorAndAffinityReachThePods() {
    String namespace = server.createNamespace("gpu-user");
    SentimentPipeline pipeline = created(namespace, "sentimentpipeline-northwind.yaml", "SentimentPipeline",
        SentimentPipeline.class, List.of("spec", "llm", "resources"));
    ModelAdapter adapter = created(namespace, "modeladapter-gemma.yaml", "ModelAdapter", ModelAdapter.class,
        List.of("spec", "resources"));
    assertThat(pipeline.getSpec().getLlm().getResources().getAffinity()).as("kept by the CRD schema").isNotNull();
    assertThat(adapter.getSpec().getResources().getAffinity()).as("kept by the CRD schema").isNotNull();
    PodSpec vllm = applied(vllm(pipeline));
    PodSpec trainer = applied(job(adapter));
    for (PodSpec pod : List.of(vllm, trainer)) {
      assertThat(pod.getTolerations()).extracting(Toleration::getKey).containsExactly("nvidia.com/gpu", "dedicated");
      assertThat(pod.getTolerations().get(1).getValue()).isEqualTo("gpu");
      assertThat(pod.getTolerations().get(1).getOperator()).isEqualTo("Equal");
      assertThat(pod.getNodeSelector()).containsExactly(Map.entry("nvidia.com/gpu.present", "true"));
      assertAnyOfTwoGpuProducts(pod);
    }
  }

  @Test
  void theAffinityReachesTheLlamaCppServer() {
    String namespace = server.createNamespace("cpu-user");
    SentimentPipeline pipeline = created(namespace, "sentimentpipeline-northwind.yaml", "SentimentPipeline",
        SentimentPipeline.class, List.of("spec", "llm", "resources"));
    pipeline.getSpec().getLlm().setEngine(dev.pulse.crd.v1alpha1.pipeline.LlmSpec.Engine.LLAMACPP);
    PodSpec llamaCpp = applied(vllm(pipeline));
    assertThat(llamaCpp.getContainers().get(0).getName()).isEqualTo("llamacpp");
    assertAnyOfTwoGpuProducts(llamaCpp);
  }

  private static void assertAnyOfTwoGpuProducts(PodSpec pod) {
    assertThat(pod.getAffinity().getNodeAffinity().getRequiredDuringSchedulingIgnoredDuringExecution()
        .getNodeSelectorTerms()).singleElement().satisfies(term -> assertThat(term.getMatchExpressions())
            .singleElement().satisfies(e -> {
              assertThat(e.getKey()).isEqualTo("nvidia.com/gpu.product");
              assertThat(e.getOperator()).isEqualTo("In");
              assertThat(e.getValues()).containsExactly("NVIDIA-L4", "NVIDIA-A10G");
            }));
  }

  private static Deployment vllm(SentimentPipeline p) {
    return VllmServer.deployment(p, p.getSpec().getLlm(), PipelineFixtures.inputs(null));
  }

  private static Job job(ModelAdapter a) {
    return ModelAdapterObjects.job(a, PulseImages.defaults());
  }

  private static PodSpec applied(HasMetadata object) {
    HasMetadata stored = client.resource(object).fieldManager("pulse-test").forceConflicts().serverSideApply();
    return stored instanceof Deployment d ? d.getSpec().getTemplate().getSpec()
        : ((Job) stored).getSpec().getTemplate().getSpec();
  }

  @SuppressWarnings("unchecked")
  private static <T extends HasMetadata> T created(String namespace, String sample, String kind, Class<T> type,
      List<String> schedulingAt) {
    GenericKubernetesResource resource = Samples.first(sample, kind);
    resource.getMetadata().setNamespace(namespace);
    if (schedulingAt != null) {
      Map<String, Object> at = resource.getAdditionalProperties();
      for (String key : schedulingAt) {
        at = (Map<String, Object>) at.get(key);
      }
      at.putAll(USER_SCHEDULING);
    }
    client.genericKubernetesResources("pulse.dev/v1alpha1", kind).inNamespace(namespace).resource(resource)
        .create();
    return client.resources(type).inNamespace(namespace).withName(resource.getMetadata().getName()).get();
  }
}
