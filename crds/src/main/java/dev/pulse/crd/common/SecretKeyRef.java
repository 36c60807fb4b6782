package dev.pulse.crd.common;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/** A key of a Secret in the resource's namespace. Credentials reach Pulse only this way, never inline. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class SecretKeyRef {

  @Required
  @Size(min = 1, max = 253)
  @ValidationRule(
      value = Validation.DNS1123_SUBDOMAIN_RULE,
      message = "must be a valid Kubernetes Secret name: lower-case letters, digits, '-' and '.', starting and ending with a letter or digit (e.g. reddit-credentials)")
  @JsonPropertyDescription("Name of the Secret, in the same namespace as this resource.")
  private String name;

  @Size(min = 1, max = 253)
  @ValidationRule(
      value = "self.matches('^[-._a-zA-Z0-9]+$')",
      message = "must be a valid Secret key: letters, digits, '-', '_' and '.'")
  @JsonPropertyDescription("Key within the Secret. Each field that takes a secret documents its default key.")
  private String key;

  public SecretKeyRef() {}

  public SecretKeyRef(String name, String key) {
    this.name = name;
    this.key = key;
  }

  public String getName() { return name; }
  public void setName(String name) { this.name = name; }
  public String getKey() { return key; }
  public void setKey(String key) { this.key = key; }

  /** The key to read: the one given, or the field's documented default. */
  public String keyOr(String defaultKey) {
    return key == null || key.isBlank() ? defaultKey : key;
  }
}
