package dev.pulse.crd;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pulse.testing.Samples;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.client.dsl.FieldValidateable.Validation;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The shipped flux/ layout (what the GitOps e2e commits and the flux README tells a user to copy): its Flux objects
 * are accepted, field by field, by Flux's own CRDs on a real API server, and they say what the README promises
 * (Pulse pinned to a release, the CRD policy, prune + health checks on Pulse's kinds, every path present).
 */
class FluxManifestsTest extends ApiServerTest {

  private static final Path FLUX = Samples.dir().getParent().getParent().resolve("flux");
  private static final String PULSE_REPOSITORY = "https://github.com/pulse-dev/pulse";
  private static List<Located> fluxObjects;

  record Located(Path file, GenericKubernetesResource object) {
    @SuppressWarnings("unchecked")
    Map<String, Object> spec() {
      return (Map<String, Object>) object.getAdditionalProperties().get("spec");
    }
  }

  @BeforeAll
  static void load() throws IOException {
    List<Path> files;
    try (Stream<Path> walk = Files.walk(FLUX)) {
      files = walk.filter(f -> f.toString().endsWith(".yaml")).sorted().toList();
    }
    fluxObjects = new ArrayList<>();
    for (Path file : files) {
      for (GenericKubernetesResource object : Samples.load(file)) {
        if (object.getApiVersion().contains(".toolkit.fluxcd.io/")) {
          fluxObjects.add(new Located(file, object));
        }
      }
    }
  }

  @Test
  void everyFluxObjectIsValidAgainstFluxCrds() {
    // Per environment (dev, prod): the source of Pulse's chart, the operator and the pipelines; one HelmRelease.
    assertThat(fluxObjects).hasSize(7);
    for (Located located : fluxObjects) {
      GenericKubernetesResource object = located.object();
      String namespace = object.getMetadata().getNamespace();
      if (client.namespaces().withName(namespace).get() == null) {
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata().build()).create();
      }
      // dev and prod declare objects of the same names: each is checked on its own.
      client.genericKubernetesResources(object.getApiVersion(), object.getKind()).inNamespace(namespace)
          .withName(object.getMetadata().getName()).delete();
      awaitGone(object);
      GenericKubernetesResource created = client.genericKubernetesResources(object.getApiVersion(), object.getKind())
          .inNamespace(namespace).resource(object).fieldValidation(Validation.STRICT).create();
      assertThat(created.getMetadata().getUid()).as(located.file() + " " + object.getKind()).isNotBlank();
    }
  }

  @Test
  void pulseIsPinnedToAReleaseNotABranch() {
    List<Located> sources = ofKind("GitRepository");
    assertThat(sources).isNotEmpty().allSatisfy(s -> {
      assertThat(s.spec().get("url")).as(s.file().toString()).isEqualTo(PULSE_REPOSITORY);
      @SuppressWarnings("unchecked")
      Map<String, Object> ref = (Map<String, Object>) s.spec().get("ref");
      assertThat(ref).as(s.file() + ": a release, not a moving branch").doesNotContainKeys("branch", "commit", "name");
      assertThat(ref.keySet()).as(s.file() + ": a tag or a semver range").containsAnyOf("tag", "semver");
    });
  }

  @Test
  @SuppressWarnings("unchecked")
  void theHelmReleaseCreatesCrdsOnInstallAndReplacesThemOnUpgrade() {
    assertThat(ofKind("HelmRelease")).singleElement().satisfies(h -> {
      assertThat(((Map<String, Object>) h.spec().get("install")).get("crds")).isEqualTo("Create");
      assertThat(((Map<String, Object>) h.spec().get("upgrade")).get("crds")).isEqualTo("CreateReplace");
    });
  }

  @Test
  @SuppressWarnings("unchecked")
  void everyKustomizationPathExistsAndThePipelinesArePrunedAndHealthChecked() {
    List<Located> kustomizations = ofKind("Kustomization");
    assertThat(kustomizations).hasSize(4).allSatisfy(k -> assertThat(FLUX.resolve(String.valueOf(k.spec().get("path")))
        .resolve("kustomization.yaml")).as(k.file() + ": spec.path, relative to the repository's root").isRegularFile());
    List<Located> pipelines = kustomizations.stream().filter(k -> "pulse-pipelines".equals(k.object().getMetadata().getName())).toList();
    assertThat(pipelines).hasSize(2).allSatisfy(k -> {
      assertThat(k.spec()).containsEntry("prune", true).containsEntry("wait", true);
      assertThat((List<Map<String, Object>>) k.spec().get("healthCheckExprs")).as(k.file().toString())
          .anySatisfy(e -> {
            assertThat(e).containsEntry("apiVersion", "pulse.dev/v1alpha1").doesNotContainKey("kind");
            assertThat(String.valueOf(e.get("current"))).contains("'Ready'").contains("'True'");
          });
      assertThat((List<Map<String, Object>>) k.spec().get("dependsOn")).extracting(d -> d.get("name"))
          .containsExactly("pulse-operator");
    });
  }

  @Test
  void theBasePipelineIsTheMinimalSample() throws IOException {
    // The base must become Ready on a fresh cluster (no GPU, Qdrant, Ingress or Secret): it is the minimal sample,
    // file for file, so the e2e suite's checks of that sample hold for it.
    for (Path sample : Samples.minimalFiles()) {
      Path base = FLUX.resolve("pipelines/base").resolve(sample.getFileName().toString());
      assertThat(base).as("flux/pipelines/base keeps a copy of " + sample).isRegularFile();
      assertThat(Files.readString(base)).as(base.toString()).isEqualTo(Files.readString(sample));
    }
  }

  @Test
  void everyPulseKindHasTheStatusFluxHealthChecksRead() throws IOException {
    // kstatus (and the healthCheckExprs of the pipelines' Kustomizations) read status.observedGeneration and the
    // Ready condition's type and status, through the status subresource the operator writes.
    List<Path> crds;
    try (Stream<Path> list = Files.list(FLUX.getParent().resolve("charts/pulse-operator/crds"))) {
      crds = list.filter(f -> f.toString().endsWith(".yaml")).sorted().toList();
    }
    assertThat(crds).hasSize(3);
    for (Path file : crds) {
      CustomResourceDefinition crd = Serialization.unmarshal(Files.readString(file), CustomResourceDefinition.class);
      assertThat(crd.getSpec().getGroup()).isEqualTo("pulse.dev");
      for (CustomResourceDefinitionVersion version : crd.getSpec().getVersions()) {
        String what = file.getFileName() + " " + version.getName();
        assertThat(version.getSubresources().getStatus()).as(what + ": status subresource").isNotNull();
        Map<String, JSONSchemaProps> status = version.getSchema().getOpenAPIV3Schema().getProperties().get("status")
            .getProperties();
        assertThat(status.get("observedGeneration").getType()).as(what + ": status.observedGeneration").isEqualTo("integer");
        assertThat(status.get("conditions").getItems().getSchema().getProperties()).as(what + ": status.conditions[]")
            .containsKeys("type", "status", "reason", "message");
      }
    }
  }

  private static List<Located> ofKind(String kind) {
    return fluxObjects.stream().filter(o -> kind.equals(o.object().getKind())).toList();
  }

  private static void awaitGone(GenericKubernetesResource object) {
    for (int i = 0; i < 100 && client.genericKubernetesResources(object.getApiVersion(), object.getKind())
        .inNamespace(object.getMetadata().getNamespace()).withName(object.getMetadata().getName()).get() != null; i++) {
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }
}
