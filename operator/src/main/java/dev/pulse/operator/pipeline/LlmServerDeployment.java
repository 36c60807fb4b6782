package dev.pulse.operator.pipeline;

import dev.pulse.crd.v1alpha1.SentimentPipeline;
import dev.pulse.crd.v1alpha1.pipeline.LlmSpec;
import dev.pulse.operator.support.OwnedObjects;
import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import java.util.List;
import java.util.Map;

/**
 * The LLM server's Deployment, whichever engine runs in its one container (vLLM on GPUs, llama.cpp on CPUs): name,
 * labels, replicas (omitted: left to an HPA; 0 when suspended), restricted pod, scheduling, and a rollout that keeps
 * serving. One builder so the two engines cannot drift apart.
 *
 * <p>Rollout: {@code maxSurge 1, maxUnavailable 0}. The new pod must be Ready before an old one goes, so the gateway
 * never loses its LLM during an adapter swap. On GPUs that needs one spare GPU for the surge pod; without one the new
 * pod waits Pending and the old one keeps serving (the LLM condition says VllmProgressing) — never an outage.
 */
public final class LlmServerDeployment {

  private LlmServerDeployment() {}

  /** Where the pod runs: tolerations, node selector, affinity and runtime class (nulls allowed). */
  public record Scheduling(List<Toleration> tolerations, Map<String, String> nodeSelector, Affinity affinity,
      String runtimeClassName) {}

  public static Deployment of(SentimentPipeline p, LlmSpec llm, Container container, List<Volume> volumes,
      Scheduling scheduling) {
    return new DeploymentBuilder()
        .withMetadata(OwnedObjects.metadata(p, PipelineNames.vllm(p), PipelineNames.VLLM))
        .withNewSpec()
          // Omitted replicas are left to their owner (an HPA, kubectl scale): server-side apply then never sets them.
          .withReplicas(PipelineDefaults.suspended(p) ? Integer.valueOf(0) : llm.getReplicas())
          .withNewSelector().withMatchLabels(OwnedObjects.selector(p, PipelineNames.VLLM)).endSelector()
          .withNewStrategy().withType("RollingUpdate")
            .withNewRollingUpdate().withMaxSurge(new IntOrString(1)).withMaxUnavailable(new IntOrString(0))
            .endRollingUpdate()
          .endStrategy()
          .withNewTemplate()
            .withNewMetadata().withLabels(OwnedObjects.labels(p, PipelineNames.VLLM)).endMetadata()
            .withNewSpec()
              .withSecurityContext(OwnedObjects.restrictedPod())
              .withAutomountServiceAccountToken(false)
              .withTolerations(scheduling.tolerations())
              .withNodeSelector(scheduling.nodeSelector())
              .withAffinity(scheduling.affinity())
              .withRuntimeClassName(scheduling.runtimeClassName())
              .withContainers(container)
              .withVolumes(volumes)
            .endSpec()
          .endTemplate()
        .endSpec()
        .build();
  }
}
