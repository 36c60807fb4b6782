package dev.pulse.crd.build;

import dev.pulse.crd.v1alpha1.ModelAdapter;
import dev.pulse.crd.v1alpha1.SentimentPipeline;
import dev.pulse.crd.v1alpha1.SourceFeed;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Build step run right after the fabric8 CRD generator: the generator sorts printer columns by JSONPath,
 * but kubectl prints them in CRD order, so Ready/Reason/Age would land in the middle of the table. This
 * restores the order in which the columns are declared on each resource class. It also describes each schema's
 * root, spec and status ({@link SchemaDescriptions}).
 */
public final class PrinterColumnOrder {

  private static final Map<String, Class<?>> RESOURCES = Map.of(
      "SourceFeed", SourceFeed.class,
      "ModelAdapter", ModelAdapter.class,
      "SentimentPipeline", SentimentPipeline.class);

  private PrinterColumnOrder() {}

  public static void main(String[] args) throws IOException {
    Path dir = Path.of(args[0]);
    for (String file : List.of("sourcefeeds", "modeladapters", "sentimentpipelines")) {
      Path yaml = dir.resolve(file + ".pulse.dev-v1.yml");
      CustomResourceDefinition crd = Serialization.unmarshal(Files.readString(yaml), CustomResourceDefinition.class);
      reorder(crd);
      SchemaDescriptions.apply(crd, RESOURCES.get(crd.getSpec().getNames().getKind()));
      Files.writeString(yaml, "# Generated from the Java types in crds/ by the fabric8 CRD generator: do not edit.\n"
          + Serialization.asYaml(crd).replaceFirst("^---\n", ""));
    }
  }

  /** Sorts each version's printer columns into the declaration order of {@link AdditionalPrinterColumn}s. */
  static void reorder(CustomResourceDefinition crd) {
    Class<?> type = RESOURCES.get(crd.getSpec().getNames().getKind());
    if (type == null) {
      throw new IllegalArgumentException("unknown kind " + crd.getSpec().getNames().getKind());
    }
    List<String> declared = Arrays.stream(type.getAnnotationsByType(AdditionalPrinterColumn.class))
        .map(AdditionalPrinterColumn::name)
        .toList();
    for (CustomResourceDefinitionVersion version : crd.getSpec().getVersions()) {
      List<CustomResourceColumnDefinition> columns = version.getAdditionalPrinterColumns();
      if (columns != null) {
        columns.sort(Comparator.comparingInt(c -> {
          int i = declared.indexOf(c.getName());
          return i < 0 ? Integer.MAX_VALUE : i;
        }));
      }
    }
  }
}
