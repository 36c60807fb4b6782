package dev.pulse.crd.build;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;

/**
 * Build step after the fabric8 CRD generator, which describes fields but leaves the schema's root, spec and status
 * bare, so `kubectl explain sentimentpipeline` would open empty. Each takes the {@link JsonClassDescription} of its
 * class: the resource class, and the spec and status types it is declared with.
 */
final class SchemaDescriptions {

  private SchemaDescriptions() {}

  static void apply(CustomResourceDefinition crd, Class<?> resource) {
    Type[] specAndStatus = ((ParameterizedType) resource.getGenericSuperclass()).getActualTypeArguments();
    for (CustomResourceDefinitionVersion version : crd.getSpec().getVersions()) {
      JSONSchemaProps root = version.getSchema().getOpenAPIV3Schema();
      root.setDescription(described(resource));
      root.getProperties().get("spec").setDescription(described((Class<?>) specAndStatus[0]));
      root.getProperties().get("status").setDescription(described((Class<?>) specAndStatus[1]));
    }
  }

  private static String described(Class<?> type) {
    JsonClassDescription d = type.getAnnotation(JsonClassDescription.class);
    if (d == null || d.value().isBlank()) {
      throw new IllegalStateException(type.getName() + " needs a @JsonClassDescription: it describes its CRD schema");
    }
    return d.value();
  }
}
