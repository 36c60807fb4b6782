package dev.pulse.crd;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pulse.testing.Samples;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.dsl.FieldValidateable.Validation;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The Flux objects in flux/ are accepted, field by field, by Flux's own CRDs on a real API server. */
class FluxManifestsTest extends ApiServerTest {

  @Test
  void everyFluxObjectIsValidAgainstFluxCrds() throws IOException {
    Path flux = Samples.dir().getParent().getParent().resolve("flux");
    List<Path> files;
    try (Stream<Path> walk = Files.walk(flux)) {
      files = walk.filter(f -> f.toString().endsWith(".yaml") && !f.getFileName().toString().equals("kustomization.yaml"))
          .sorted().toList();
    }
    assertThat(files).hasSizeGreaterThanOrEqualTo(5);
    int fluxObjects = 0;
    for (Path file : files) {
      for (GenericKubernetesResource object : Samples.load(file)) {
        if ("Namespace".equals(object.getKind())) {
          continue;
        }
        String namespace = object.getMetadata().getNamespace();
        if (client.namespaces().withName(namespace).get() == null) {
          client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata().build()).create();
        }
        GenericKubernetesResource created = client.genericKubernetesResources(object.getApiVersion(), object.getKind())
            .inNamespace(namespace).resource(object).fieldValidation(Validation.STRICT).create();
        assertThat(created.getMetadata().getUid()).as(file + " " + object.getKind()).isNotBlank();
        fluxObjects++;
      }
    }
    assertThat(fluxObjects).isEqualTo(4);
  }
}
