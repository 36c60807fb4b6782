package dev.pulse.crd.v1alpha1.adapter;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.pulse.crd.common.PvcPath;
import dev.pulse.crd.common.SecretKeyRef;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/** Where a trained adapter goes: a PVC (served by mounting it) or an object store. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "has(self.pvc) != has(self.objectStoreUri)", message = "set exactly one of output.pvc or output.objectStoreUri")
@ValidationRule(value = "!has(self.objectStoreUri) || has(self.credentialsSecret)", message = "output.credentialsSecret is required with output.objectStoreUri", fieldPath = ".credentialsSecret")
public class AdapterOutput {

  @JsonPropertyDescription("A PVC directory; the adapter is written to <path>/<adapter name>/<generation>. The claim should be ReadWriteMany: the LLM server mounts it (read-only) to serve the adapter while a retrain writes to it, and a ReadWriteOnce volume attaches to one node only, so a retrain scheduled on another node waits on a Multi-Attach error until the server stops. The operator reports the claim's access modes in the Storage condition.")
  private PvcPath pvc;

  @Size(min = 6, max = 1024)
  @ValidationRule(value = "self.matches('^(s3|gs)://[a-z0-9][-a-z0-9.]{1,61}[a-z0-9](/.*)?$')", message = "must be an s3:// or gs:// URI such as s3://models/pulse/adapters")
  @JsonPropertyDescription("An s3:// or gs:// URI prefix to upload the adapter to.")
  private String objectStoreUri;

  @JsonPropertyDescription("Secret with the object store's credentials (AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY or a GCP key), mounted as environment variables. The key is ignored: the whole Secret is used.")
  private SecretKeyRef credentialsSecret;

  public PvcPath getPvc() { return pvc; }
  public void setPvc(PvcPath pvc) { this.pvc = pvc; }
  public String getObjectStoreUri() { return objectStoreUri; }
  public void setObjectStoreUri(String objectStoreUri) { this.objectStoreUri = objectStoreUri; }
  public SecretKeyRef getCredentialsSecret() { return credentialsSecret; }
  public void setCredentialsSecret(SecretKeyRef credentialsSecret) { this.credentialsSecret = credentialsSecret; }
}
