package dev.pulse.crd.common;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/** A key of a ConfigMap in the resource's namespace. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ConfigMapKeyRef {

  @Required
  @Size(min = 1, max = 253)
  @ValidationRule(
      value = Validation.DNS1123_SUBDOMAIN_RULE,
      message = "must be a valid ConfigMap name: lower-case letters, digits, '-' and '.'")
  @JsonPropertyDescription("Name of the ConfigMap, in the same namespace as this resource.")
  private String name;

  @Required
  @Size(min = 1, max = 253)
  @ValidationRule(
      value = "self.matches('^[-._a-zA-Z0-9]+$')",
      message = "must be a valid ConfigMap key: letters, digits, '-', '_' and '.'")
  @JsonPropertyDescription("Key within the ConfigMap that holds the data.")
  private String key;

  public ConfigMapKeyRef() {}

  public ConfigMapKeyRef(String name, String key) {
    this.name = name;
    this.key = key;
  }

  public String getName() { return name; }
  public void setName(String name) { this.name = name; }
  public String getKey() { return key; }
  public void setKey(String key) { this.key = key; }
}
