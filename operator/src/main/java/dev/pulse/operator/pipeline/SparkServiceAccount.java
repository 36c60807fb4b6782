package dev.pulse.operator.pipeline;

import dev.pulse.crd.v1alpha1.SentimentPipeline;
import dev.pulse.operator.support.OwnedObjects;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBuilder;
import java.util.List;

/**
 * The Spark driver's identity: in cluster mode the driver itself creates its executor pods, their Service
 * and ConfigMap, so it needs a namespaced Role for exactly those, and nothing else.
 */
final class SparkServiceAccount {

  private SparkServiceAccount() {}

  static String name(SentimentPipeline p) { return dev.pulse.operator.support.OwnedNames.child(p.getMetadata().getName(), "spark"); }

  static List<HasMetadata> desired(SentimentPipeline p) {
    ServiceAccount sa = new ServiceAccountBuilder()
        .withMetadata(OwnedObjects.metadata(p, name(p), PipelineNames.SPARK))
        .withAutomountServiceAccountToken(true)
        .build();
    Role role = new RoleBuilder()
        .withMetadata(OwnedObjects.metadata(p, name(p), PipelineNames.SPARK))
        .withRules(
            new PolicyRuleBuilder().withApiGroups("").withResources("pods", "services", "configmaps", "persistentvolumeclaims")
                .withVerbs("create", "get", "list", "watch", "update", "patch", "delete", "deletecollection").build())
        .build();
    RoleBinding binding = new RoleBindingBuilder()
        .withMetadata(OwnedObjects.metadata(p, name(p), PipelineNames.SPARK))
        .withNewRoleRef("rbac.authorization.k8s.io", "Role", name(p))
        .addNewSubject().withKind("ServiceAccount").withName(name(p)).withNamespace(p.getMetadata().getNamespace()).endSubject()
        .build();
    return List.of(sa, role, binding);
  }
}
