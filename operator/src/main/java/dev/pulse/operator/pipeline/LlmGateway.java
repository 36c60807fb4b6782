package dev.pulse.operator.pipeline;

import static dev.pulse.operator.pipeline.PipelineDefaults.or;

import dev.pulse.crd.v1alpha1.SentimentPipeline;
import dev.pulse.crd.v1alpha1.pipeline.LlmSpec;
import dev.pulse.crd.v1alpha1.pipeline.VectorStoreSpec;
import dev.pulse.operator.metrics.PodTracing;
import dev.pulse.operator.support.OwnedObjects;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HTTPGetActionBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import java.util.ArrayList;
import java.util.List;

/** The LLM gateway (llm-runtime): the Spark job's escalation endpoint, with RAG over the pipeline's collection. */
public final class LlmGateway {

  public static final int PORT = 8090;

  private LlmGateway() {}

  /** The environment llm-runtime's llm-gateway.properties reads (see llm-runtime/README.md). */
  static List<EnvVar> env(SentimentPipeline p, LlmSpec llm, RenderInputs inputs) {
    VectorStoreSpec v = PipelineDefaults.vectorStore(p);
    List<EnvVar> env = new ArrayList<>();
    env.add(Pods.env("PULSE_GATEWAY_PORT", PORT));
    env.add(Pods.env("PULSE_VLLM_BASE_URL", PipelineNames.vllmBaseUrl(p)));
    env.add(Pods.env("PULSE_LLM_MODEL", VllmServer.servedModel(llm, inputs)));
    env.add(Pods.env("PULSE_LLM_ASSIST_MODEL", llm.getBaseModel()));
    env.add(Pods.env("PULSE_LLM_TIMEOUT", or(llm.getTimeout(), "2s")));
    env.add(Pods.env("PULSE_LLM_BATCH_TIMEOUT", dev.pulse.contract.Durations.format(
        batchDeadline(dev.pulse.contract.Durations.parse(or(llm.getTimeout(), "2s"))))));
    env.add(Pods.env("PULSE_LLM_BUDGET_PER_MINUTE", or(llm.getMaxCallsPerMinute(), 600)));
    // Gemma's chat template has no system role: vLLM would reject every request with one.
    env.add(Pods.env("PULSE_LLM_FOLD_SYSTEM_PROMPT", foldsSystemPrompt(llm.getBaseModel())));
    // Query vectors must come from the model that embedded the stored points: the Spark job's int8 MiniLM.
    env.add(Pods.env("PULSE_EMBEDDING_MODEL", "all-minilm-l6-v2-q"));
    // The CRD requires a vector store with the LLM on; a file rendered without the API server may lack it.
    if (v != null) {
      env.add(Pods.env("PULSE_QDRANT_HOST", v.getHost()));
      env.add(Pods.env("PULSE_QDRANT_PORT", PipelineDefaults.grpcPort(v)));
      env.add(Pods.env("PULSE_QDRANT_USE_TLS", Boolean.TRUE.equals(v.getTls())));
      env.add(Pods.env("PULSE_QDRANT_COLLECTION", v.getCollection()));
      if (v.getApiKeySecret() != null) {
        env.add(Pods.secretEnv("PULSE_QDRANT_API_KEY", v.getApiKeySecret(), "api-key"));
      }
    }
    tokenEnv(p).ifPresent(env::add);
    env.add(Pods.env("JAVA_TOOL_OPTIONS", "-XX:MaxRAMPercentage=75 -Djava.io.tmpdir=/tmp"));
    env.addAll(PodTracing.env(p));
    return env;
  }

  /**
   * PULSE_GATEWAY_TOKEN for the gateway and each of its callers (the Spark driver and executors, the dashboard): from
   * {@code spec.llm.gatewayTokenSecret}, or from the Secret the operator makes when none is named
   * ({@link GatewayTokens}), so the gateway is never open; empty only when the LLM is off.
   */
  public static java.util.Optional<EnvVar> tokenEnv(SentimentPipeline p) {
    LlmSpec llm = PipelineDefaults.llm(p);
    return llm == null ? java.util.Optional.empty()
        : java.util.Optional.of(Pods.secretEnv("PULSE_GATEWAY_TOKEN", GatewayTokens.secretKey(p, llm),
            GatewayTokens.KEY));
  }

  /**
   * The gateway's batch deadline: shorter than the escalator's timeout ({@code spec.llm.timeout}) by a tenth of it
   * (at least 100 ms), so the answer, with the posts unfinished by then on their light score, is back before the
   * Spark job gives up; work on a batch the caller has left would only spend LLM time and budget.
   */
  static java.time.Duration batchDeadline(java.time.Duration callerTimeout) {
    java.time.Duration margin = callerTimeout.dividedBy(10);
    java.time.Duration min = java.time.Duration.ofMillis(100);
    java.time.Duration deadline = callerTimeout.minus(margin.compareTo(min) < 0 ? min : margin);
    return deadline.compareTo(min) < 0 ? min : deadline;
  }

  static boolean foldsSystemPrompt(String baseModel) {
    return baseModel != null && baseModel.toLowerCase(java.util.Locale.ROOT).contains("gemma");
  }

  public static Deployment deployment(SentimentPipeline p, LlmSpec llm, RenderInputs inputs) {
    return new DeploymentBuilder()
        .withMetadata(OwnedObjects.metadata(p, PipelineNames.gateway(p), PipelineNames.GATEWAY))
        .withNewSpec()
          .withReplicas(PipelineDefaults.suspended(p) ? Integer.valueOf(0) : null) // 1 at creation; an HPA may own it
          .withNewSelector().withMatchLabels(OwnedObjects.selector(p, PipelineNames.GATEWAY)).endSelector()
          .withNewTemplate()
            .withNewMetadata().withLabels(OwnedObjects.labels(p, PipelineNames.GATEWAY)).endMetadata()
            .withNewSpec()
              .withSecurityContext(OwnedObjects.restrictedPod())
              .withAutomountServiceAccountToken(false)
              .withContainers(new ContainerBuilder()
                  .withName("gateway")
                  .withImage(inputs.images().gateway())
                  .addNewPort().withName("http").withContainerPort(PORT).endPort()
                  .withEnv(env(p, llm, inputs))
                  // ONNX Runtime unpacks its native library into /tmp: the only writable path it needs.
                  .withVolumeMounts(Pods.mount("tmp", "/tmp"))
                  .withResources(Pods.resources("500m", "1Gi", "2", "2Gi"))
                  .withStartupProbe(probe("/actuator/health/liveness", 5, 24))
                  .withReadinessProbe(probe("/actuator/health/readiness", 10, 3))
                  .withLivenessProbe(probe("/actuator/health/liveness", 20, 3))
                  .withSecurityContext(OwnedObjects.restrictedContainer())
                  .build())
              .withVolumes(Pods.emptyDir("tmp", "1Gi"))
            .endSpec()
          .endTemplate()
        .endSpec()
        .build();
  }

  public static Service service(SentimentPipeline p) {
    return Pods.service(p, PipelineNames.gateway(p), PipelineNames.GATEWAY, "http", PORT);
  }

  static Probe probe(String path, int periodSeconds, int failureThreshold) {
    return new ProbeBuilder()
        .withHttpGet(new HTTPGetActionBuilder().withPath(path).withPort(new IntOrString("http")).build())
        .withPeriodSeconds(periodSeconds).withTimeoutSeconds(3).withFailureThreshold(failureThreshold)
        .build();
  }
}
