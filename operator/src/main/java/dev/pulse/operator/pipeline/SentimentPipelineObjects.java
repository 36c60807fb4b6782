package dev.pulse.operator.pipeline;

import dev.pulse.crd.v1alpha1.SentimentPipeline;
import dev.pulse.crd.v1alpha1.pipeline.DashboardSpec;
import dev.pulse.crd.v1alpha1.pipeline.LlmSpec;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.ArrayList;
import java.util.List;

/**
 * Every Kubernetes object a SentimentPipeline becomes, as a pure function of the pipeline and its resolved
 * inputs. The reconciler applies this list; {@code ./pulse render} prints it. Order: what others depend on
 * first (topics, identities, storage), then workloads, then monitoring.
 */
public final class SentimentPipelineObjects {

  private SentimentPipelineObjects() {}

  public static List<HasMetadata> desired(SentimentPipeline pipeline, RenderInputs inputs) {
    List<HasMetadata> out = new ArrayList<>(OutputTopics.desired(pipeline));
    out.addAll(SparkServiceAccount.desired(pipeline));
    if (SparkApplications.usesCheckpointClaim(pipeline)) {
      out.add(SparkApplications.checkpointClaim(pipeline));
    }
    LlmSpec llm = PipelineDefaults.llm(pipeline);
    if (llm != null) {
      out.add(VllmServer.deployment(pipeline, llm, inputs));
      out.add(VllmServer.service(pipeline));
      out.add(LlmGateway.deployment(pipeline, llm, inputs));
      out.add(LlmGateway.service(pipeline));
    }
    if (SparkLaunchers.isNative(pipeline, inputs)) {
      out.addAll(SparkDriver.desired(pipeline, inputs));
    } else {
      out.add(SparkApplications.desired(pipeline, inputs));
    }
    DashboardSpec dashboard = PipelineDefaults.dashboard(pipeline);
    if (dashboard != null) {
      out.addAll(DashboardIdentity.desired(pipeline));
      out.add(Dashboard.deployment(pipeline, dashboard, inputs));
      out.add(Dashboard.service(pipeline));
      if (dashboard.getIngress() != null) {
        out.add(Dashboard.ingress(pipeline, dashboard));
      }
    }
    if (inputs.monitoring().serviceMonitor()) {
      out.add(Monitoring.serviceMonitor(pipeline));
    }
    if (inputs.monitoring().podMonitor()) {
      out.add(Monitoring.podMonitor(pipeline));
    }
    if (inputs.monitoring().prometheusRule()) {
      out.add(Monitoring.prometheusRule(pipeline));
    }
    return out;
  }
}
