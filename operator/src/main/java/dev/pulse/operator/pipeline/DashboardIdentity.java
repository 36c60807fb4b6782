package dev.pulse.operator.pipeline;

import dev.pulse.crd.v1alpha1.PulseApi;
import dev.pulse.crd.v1alpha1.SentimentPipeline;
import dev.pulse.operator.support.OwnedObjects;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBuilder;
import java.util.List;

/**
 * The dashboard shows its pipeline's conditions, so its pods get an identity that may read exactly that one
 * SentimentPipeline and nothing else. The operator can grant it because it holds that permission itself.
 */
final class DashboardIdentity {

  private DashboardIdentity() {}

  static String name(SentimentPipeline p) {
    return PipelineNames.dashboard(p);
  }

  static List<HasMetadata> desired(SentimentPipeline p) {
    String name = name(p);
    return List.of(
        new ServiceAccountBuilder()
            .withMetadata(OwnedObjects.metadata(p, name, PipelineNames.DASHBOARD))
            .withAutomountServiceAccountToken(true)
            .build(),
        new RoleBuilder()
            .withMetadata(OwnedObjects.metadata(p, name, PipelineNames.DASHBOARD))
            .addNewRule()
              .withApiGroups(PulseApi.GROUP)
              .withResources("sentimentpipelines")
              .withResourceNames(p.getMetadata().getName())
              .withVerbs("get")
            .endRule()
            .build(),
        new RoleBindingBuilder()
            .withMetadata(OwnedObjects.metadata(p, name, PipelineNames.DASHBOARD))
            .withNewRoleRef("rbac.authorization.k8s.io", "Role", name)
            .addNewSubject().withKind("ServiceAccount").withName(name).withNamespace(p.getMetadata().getNamespace())
            .endSubject()
            .build());
  }
}
