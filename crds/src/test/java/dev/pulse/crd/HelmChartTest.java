package dev.pulse.crd;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pulse.testing.HelmBinary;
import dev.pulse.testing.Samples;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.dsl.FieldValidateable.Validation;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The Helm chart, rendered by the real helm and created on the real API server with strict validation. */
class HelmChartTest extends ApiServerTest {

  private static final Path CHART = Samples.dir().getParent().getParent().resolve("charts/pulse-operator");

  @Test
  void chartLints() throws IOException {
    HelmBinary.Result lint = HelmBinary.helm("lint", CHART.toString(), "--strict");
    assertThat(lint.exitCode()).as(lint.output()).isZero();
  }

  @Test
  void everyRenderedObjectIsAcceptedByTheApiServer() throws IOException {
    String namespace = server.createNamespace("helm");
    List<GenericKubernetesResource> objects = render(namespace, "--set", "serviceMonitor.enabled=true",
        "--set", "watchNamespaces={team-a,team-b}");
    assertThat(objects).extracting(HasMetadata::getKind)
        .contains("ServiceAccount", "ClusterRole", "ClusterRoleBinding", "Deployment", "Service", "ServiceMonitor");
    for (GenericKubernetesResource object : objects) {
      // Cluster-scoped objects get a per-test name so tests stay independent.
      if (object.getKind().startsWith("Cluster")) {
        object.getMetadata().setName(object.getMetadata().getName() + "-" + namespace);
        client.genericKubernetesResources(object.getApiVersion(), object.getKind()).resource(object)
            .fieldValidation(Validation.STRICT).create();
      } else {
        client.genericKubernetesResources(object.getApiVersion(), object.getKind()).inNamespace(namespace)
            .resource(object).fieldValidation(Validation.STRICT).create();
      }
    }
  }

  @Test
  void operatorPodRunsRestricted() throws IOException {
    GenericKubernetesResource generic = render("pulse-system").stream()
        .filter(o -> o.getKind().equals("Deployment")).findFirst().orElseThrow();
    Deployment deployment = Serialization.unmarshal(Serialization.asJson(generic), Deployment.class);
    var pod = deployment.getSpec().getTemplate().getSpec();
    assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
    assertThat(pod.getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
    var container = pod.getContainers().get(0);
    assertThat(container.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
    assertThat(container.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
    assertThat(container.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
    assertThat(container.getResources().getLimits()).containsKeys("cpu", "memory");
    assertThat(container.getEnv()).anySatisfy(e -> assertThat(e.getName()).isEqualTo("PULSE_OPERATOR_LEADER_ELECTION"));
  }

  @Test
  void chartShipsTheGeneratedCrds() throws IOException {
    HelmBinary.Result crds = HelmBinary.helm("show", "crds", CHART.toString());
    assertThat(crds.exitCode()).as(crds.output()).isZero();
    assertThat(crds.output()).contains("name: \"sourcefeeds.pulse.dev\"", "name: \"modeladapters.pulse.dev\"",
        "name: \"sentimentpipelines.pulse.dev\"");
  }

  private static List<GenericKubernetesResource> render(String namespace, String... extra) throws IOException {
    List<String> args = new ArrayList<>(List.of("template", "pulse", CHART.toString(), "--namespace", namespace,
        "--kube-version", System.getProperty("pulse.k8s.version", "1.34.4")));
    args.addAll(List.of(extra));
    HelmBinary.Result rendered = HelmBinary.helm(args.toArray(String[]::new));
    assertThat(rendered.exitCode()).as(rendered.output()).isZero();
    List<GenericKubernetesResource> objects = new ArrayList<>();
    for (String doc : rendered.output().split("(?m)^---\\s*$")) {
      if (doc.lines().anyMatch(l -> l.startsWith("kind:"))) {
        objects.add(Serialization.unmarshal(doc, GenericKubernetesResource.class));
      }
    }
    return objects;
  }
}
