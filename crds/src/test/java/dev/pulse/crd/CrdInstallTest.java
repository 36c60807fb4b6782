package dev.pulse.crd;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pulse.testing.CrdInstaller;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import java.util.List;
import org.junit.jupiter.api.Test;

class CrdInstallTest extends ApiServerTest {

  @Test
  void pulseCrdsAreEstablishedAndServeV1alpha1() {
    for (String name : List.of("sourcefeeds.pulse.dev", "modeladapters.pulse.dev", "sentimentpipelines.pulse.dev")) {
      CustomResourceDefinition crd = client.apiextensions().v1().customResourceDefinitions().withName(name).get();
      assertThat(CrdInstaller.isEstablished(crd)).as(name + " Established").isTrue();
      assertThat(crd.getSpec().getScope()).isEqualTo("Namespaced");
      assertThat(crd.getSpec().getNames().getCategories()).as("kubectl get pulse").contains("pulse");
      assertThat(crd.getSpec().getNames().getShortNames()).isNotEmpty();
      CustomResourceDefinitionVersion v1alpha1 = crd.getSpec().getVersions().get(0);
      assertThat(v1alpha1.getName()).isEqualTo("v1alpha1");
      assertThat(v1alpha1.getServed()).isTrue();
      assertThat(v1alpha1.getSubresources().getStatus()).as("status subresource").isNotNull();
      assertThat(v1alpha1.getAdditionalPrinterColumns()).extracting(CustomResourceColumnDefinition::getName)
          .contains("Ready", "Reason", "Age");
    }
  }

  @Test
  void printerColumnsKeepTheDeclaredOrderWithReadyReasonAgeLast() {
    CustomResourceDefinition crd = client.apiextensions().v1().customResourceDefinitions()
        .withName("sourcefeeds.pulse.dev").get();
    assertThat(crd.getSpec().getVersions().get(0).getAdditionalPrinterColumns())
        .extracting(CustomResourceColumnDefinition::getName)
        .containsExactly("Type", "Kafka", "Bootstrap", "Topic", "Suspended", "Ready", "Reason", "Age");
  }

  @Test
  void upstreamCrdsTheOperatorTargetsAreEstablished() {
    for (CustomResourceDefinition upstream : CrdInstaller.upstreamCrds()) {
      CustomResourceDefinition served = client.apiextensions().v1().customResourceDefinitions()
          .withName(upstream.getMetadata().getName()).get();
      assertThat(CrdInstaller.isEstablished(served)).as(upstream.getMetadata().getName()).isTrue();
    }
  }

  @Test
  void kubectlGetPulseListsAllThreeKindsThroughTheCategory() {
    // What `kubectl get pulse` resolves: every served resource whose categories include "pulse".
    List<String> kinds = client.getApiResources("pulse.dev/v1alpha1").getResources().stream()
        .filter(r -> r.getCategories() != null && r.getCategories().contains("pulse"))
        .map(r -> r.getKind())
        .sorted()
        .toList();
    assertThat(kinds).containsExactly("ModelAdapter", "SentimentPipeline", "SourceFeed");
  }
}
