package dev.pulse.crd;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pulse.testing.Samples;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.dsl.FieldValidateable.Validation;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class SamplesApplyTest extends ApiServerTest {

  static Stream<Path> sampleFiles() {
    return Stream.concat(Samples.files().stream(), Samples.minimalFiles().stream());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("sampleFiles")
  void everySampleAppliesAsItIsWithStrictFieldValidation(Path file) {
    String namespace = server.createNamespace("samples");
    List<GenericKubernetesResource> objects = Samples.load(file);
    assertThat(objects).as("objects in " + file).isNotEmpty();
    for (GenericKubernetesResource object : objects) {
      GenericKubernetesResource created = client.genericKubernetesResources(object.getApiVersion(), object.getKind())
          .inNamespace(namespace).resource(object).fieldValidation(Validation.STRICT).create();
      assertThat(created.getMetadata().getUid()).isNotBlank();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("sampleFiles")
  void theApiServerFillsDocumentedDefaults(Path file) {
    String namespace = server.createNamespace("defaults");
    for (GenericKubernetesResource object : Samples.load(file)) {
      if (!object.getApiVersion().startsWith("pulse.dev/")) {
        continue;
      }
      GenericKubernetesResource created = client.genericKubernetesResources(object.getApiVersion(), object.getKind())
          .inNamespace(namespace).resource(object).create();
      @SuppressWarnings("unchecked")
      Map<String, Object> spec = (Map<String, Object>) created.getAdditionalProperties().get("spec");
      switch (object.getKind()) {
        case "SourceFeed" -> assertThat(spec).containsEntry("suspend", false).containsKey("pollInterval");
        case "ModelAdapter" -> assertThat(spec).containsKeys("backoffLimit", "activeDeadline");
        case "SentimentPipeline" -> assertThat(spec).containsEntry("suspend", false);
        default -> throw new AssertionError("unexpected kind " + object.getKind());
      }
    }
  }
}
