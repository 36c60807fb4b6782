package dev.pulse.crd.common;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/** A directory or file on a PersistentVolumeClaim in the resource's namespace. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class PvcPath {

  @Required
  @Size(min = 1, max = 253)
  @ValidationRule(
      value = Validation.DNS1123_SUBDOMAIN_RULE,
      message = "must be a valid PersistentVolumeClaim name: lower-case letters, digits, '-' and '.'")
  @JsonPropertyDescription("Name of the PersistentVolumeClaim, in the same namespace as this resource.")
  private String claimName;

  @Default("/")
  @Size(max = 1024)
  @ValidationRule(
      value = "self.startsWith('/') && !self.contains('..')",
      message = "must be an absolute path inside the volume, without '..'")
  @JsonPropertyDescription("Path inside the volume. Defaults to the volume's root.")
  private String path = "/";

  public PvcPath() {}

  public PvcPath(String claimName, String path) {
    this.claimName = claimName;
    this.path = path;
  }

  public String getClaimName() { return claimName; }
  public void setClaimName(String claimName) { this.claimName = claimName; }
  public String getPath() { return path; }
  public void setPath(String path) { this.path = path; }
}
