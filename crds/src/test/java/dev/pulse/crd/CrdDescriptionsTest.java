package dev.pulse.crd;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pulse.testing.CrdInstaller;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** `kubectl explain` is only useful when every field says what it is: checked on the CRDs as served. */
class CrdDescriptionsTest extends ApiServerTest {

  /**
   * Fields typed with a Kubernetes API type (fabric8's model, core/v1 Affinity): the field itself is described,
   * its children are Kubernetes' own schema, which fabric8's model carries without descriptions; `kubectl explain
   * pod.spec.affinity` documents them.
   */
  private static final Set<String> KUBERNETES_TYPED = Set.of("ModelAdapter.spec.resources.affinity",
      "SentimentPipeline.spec.llm.resources.affinity");

  @Test
  void everySpecAndStatusFieldHasADescription() {
    List<String> undocumented = new ArrayList<>();
    List<String> kubernetesTyped = new ArrayList<>();
    for (CustomResourceDefinition generated : CrdInstaller.generatedPulseCrds()) {
      CustomResourceDefinition served = client.apiextensions().v1().customResourceDefinitions()
          .withName(generated.getMetadata().getName()).get();
      JSONSchemaProps root = served.getSpec().getVersions().get(0).getSchema().getOpenAPIV3Schema();
      String kind = served.getSpec().getNames().getKind();
      // `kubectl explain <kind>`, `<kind>.spec` and `<kind>.status` open with these.
      for (Map.Entry<String, JSONSchemaProps> top : Map.of(kind, root, kind + ".spec", root.getProperties().get("spec"),
          kind + ".status", root.getProperties().get("status")).entrySet()) {
        if (top.getValue().getDescription() == null || top.getValue().getDescription().isBlank()) {
          undocumented.add(top.getKey());
        }
      }
      collectUndocumented(kind + ".spec", root.getProperties().get("spec"), undocumented, kubernetesTyped);
      collectUndocumented(kind + ".status", root.getProperties().get("status"), undocumented, kubernetesTyped);
    }
    assertThat(undocumented).as("fields without a description").isEmpty();
    // The exemption list names fields that exist (and were checked themselves), so it cannot hide a stale path.
    assertThat(kubernetesTyped).containsExactlyInAnyOrderElementsOf(KUBERNETES_TYPED);
  }

  @Test
  void theCheckFindsAFieldWithoutDescription() {
    JSONSchemaProps parent = new JSONSchemaProps();
    JSONSchemaProps child = new JSONSchemaProps();
    child.setType("string");
    parent.setProperties(Map.of("undocumented", child));
    List<String> found = new ArrayList<>();
    collectUndocumented("X.spec", parent, found, new ArrayList<>());
    assertThat(found).containsExactly("X.spec.undocumented");
  }

  private static void collectUndocumented(String path, JSONSchemaProps schema, List<String> out,
      List<String> kubernetesTyped) {
    if (schema == null) {
      return;
    }
    if (KUBERNETES_TYPED.contains(path)) {
      kubernetesTyped.add(path);
      return;
    }
    if (schema.getProperties() != null) {
      schema.getProperties().forEach((name, child) -> {
        String childPath = path + "." + name;
        if (child.getDescription() == null || child.getDescription().isBlank()) {
          out.add(childPath);
        }
        collectUndocumented(childPath, child, out, kubernetesTyped);
      });
    }
    if (schema.getItems() != null && schema.getItems().getSchema() != null) {
      collectUndocumented(path + "[]", schema.getItems().getSchema(), out, kubernetesTyped);
    }
  }
}
