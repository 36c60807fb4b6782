package dev.pulse.operator.pipeline;

import dev.pulse.crd.v1alpha1.SentimentPipeline;
import dev.pulse.operator.support.OwnedNames;
import dev.pulse.operator.support.OwnedObjects;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import java.util.List;

/**
 * The Spark driver's identity: in cluster mode the driver itself creates its executor pods, their Service and
 * ConfigMap. It is bound, in the pipeline's namespace only, to the ClusterRole {@value #DRIVER_CLUSTER_ROLE} that
 * the Helm chart installs with exactly those rules. Binding an existing ClusterRole needs only the {@code bind}
 * verb on that one role, not every permission the driver gets (which creating a Role would require).
 */
final class SparkServiceAccount {

  static final String DRIVER_CLUSTER_ROLE = "pulse-spark-driver";

  private SparkServiceAccount() {}

  static String name(SentimentPipeline p) { return OwnedNames.child(p.getMetadata().getName(), "spark"); }

  static List<HasMetadata> desired(SentimentPipeline p) {
    ServiceAccount sa = new ServiceAccountBuilder()
        .withMetadata(OwnedObjects.metadata(p, name(p), PipelineNames.SPARK))
        .withAutomountServiceAccountToken(true)
        .build();
    RoleBinding binding = new RoleBindingBuilder()
        .withMetadata(OwnedObjects.metadata(p, name(p), PipelineNames.SPARK))
        .withNewRoleRef("rbac.authorization.k8s.io", "ClusterRole", DRIVER_CLUSTER_ROLE)
        .addNewSubject().withKind("ServiceAccount").withName(name(p)).withNamespace(p.getMetadata().getNamespace()).endSubject()
        .build();
    return List.of(sa, binding);
  }
}
