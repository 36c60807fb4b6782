package dev.pulse.testing;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** The sample resources of config/samples, as generic objects tests can apply or deliberately break. */
public final class Samples {

  private Samples() {}

  public static Path dir() {
    return K8sBinaries.repoRoot().resolve("config/samples");
  }

  /** The full samples (config/samples/*.yaml), not the minimal set in its sub-folder. */
  public static List<Path> files() {
    return yamlIn(dir());
  }

  /** config/samples/minimal: a plain Kafka, no GPU, no Qdrant, no Ingress, no Secret (the e2e suite applies it). */
  public static Path minimalDir() {
    return dir().resolve("minimal");
  }

  public static List<Path> minimalFiles() {
    return yamlIn(minimalDir());
  }

  private static List<Path> yamlIn(Path dir) {
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Every object in a (multi-document) sample file. */
  public static List<GenericKubernetesResource> load(Path file) {
    try {
      String yaml = Files.readString(file);
      List<GenericKubernetesResource> out = new ArrayList<>();
      for (String doc : yaml.split("(?m)^---\\s*$")) {
        if (doc.lines().anyMatch(l -> l.startsWith("kind:"))) {
          out.add(Serialization.unmarshal(doc, GenericKubernetesResource.class));
        }
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The first object of the given kind in a sample file, as a fresh copy. */
  public static GenericKubernetesResource first(String fileName, String kind) {
    return load(dir().resolve(fileName)).stream()
        .filter(r -> kind.equals(r.getKind()))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no " + kind + " in " + fileName));
  }

  /** Sets (or, with a null value, removes) a dotted path such as spec.kafka.partitions. */
  @SuppressWarnings("unchecked")
  public static <T extends HasMetadata> GenericKubernetesResource with(GenericKubernetesResource resource, String path, Object value) {
    String[] parts = path.split("\\.");
    Map<String, Object> node = resource.getAdditionalProperties();
    for (int i = 0; i < parts.length - 1; i++) {
      node = (Map<String, Object>) node.computeIfAbsent(parts[i], k -> new java.util.LinkedHashMap<String, Object>());
    }
    if (value == null) {
      node.remove(parts[parts.length - 1]);
    } else {
      node.put(parts[parts.length - 1], value);
    }
    return resource;
  }
}
