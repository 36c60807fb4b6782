package dev.pulse.operator.pipeline;

import dev.pulse.crd.v1alpha1.ModelAdapter;
import dev.pulse.crd.v1alpha1.ModelAdapterStatus;
import dev.pulse.crd.v1alpha1.SentimentPipeline;
import dev.pulse.testing.Samples;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.List;

/** The samples of config/samples as typed objects, as a user would apply them. */
final class PipelineFixtures {

  private PipelineFixtures() {}

  static SentimentPipeline northwind(String namespace) {
    SentimentPipeline p = Serialization.unmarshal(
        Serialization.asYaml(Samples.first("sentimentpipeline-northwind.yaml", "SentimentPipeline")), SentimentPipeline.class);
    p.getMetadata().setNamespace(namespace);
    p.getMetadata().setUid("00000000-0000-0000-0000-000000000001");
    return p;
  }

  static ModelAdapter adapter(String namespace, ModelAdapterStatus.Phase phase, String path) {
    ModelAdapter a = Serialization.unmarshal(
        Serialization.asYaml(Samples.first("modeladapter-gemma.yaml", "ModelAdapter")), ModelAdapter.class);
    a.getMetadata().setNamespace(namespace);
    ModelAdapterStatus status = new ModelAdapterStatus();
    status.setPhase(phase);
    status.setAdapterPath(path);
    a.setStatus(status);
    return a;
  }

  static RenderInputs inputs(ModelAdapter adapter) {
    return RenderInputs.of(null, List.of("pulse.feed.ns.northwind-news", "pulse.feed.ns.northwind-replay"), adapter);
  }
}
