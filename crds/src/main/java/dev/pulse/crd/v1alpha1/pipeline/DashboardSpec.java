package dev.pulse.crd.v1alpha1.pipeline;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.pulse.crd.common.SecretKeyRef;
import dev.pulse.crd.common.Validation;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/** The dashboard backend and web app. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "!has(self.auth) || !self.auth.enabled || has(self.auth.tokenSecret)", message = "dashboard.auth.tokenSecret is required when dashboard.auth.enabled is true", fieldPath = ".auth")
public class DashboardSpec {

  @Default("true")
  @JsonPropertyDescription("Deploy the dashboard. Default true.")
  private Boolean enabled;

  @Default("1")
  @Min(0)
  @Max(10)
  @JsonPropertyDescription("Dashboard replicas (0-10). Default 1.")
  private Integer replicas;

  @JsonPropertyDescription("Expose the dashboard through an Ingress. Omit for a ClusterIP Service only.")
  private IngressSpec ingress;

  @JsonPropertyDescription("Bearer-token authentication of the REST API and WebSocket.")
  private AuthSpec auth;

  @Size(min = 1, max = 512)
  @JsonPropertyDescription("Dashboard image. Defaults to the operator's dashboard image of the same Pulse version.")
  private String image;

  public Boolean getEnabled() { return enabled; }
  public void setEnabled(Boolean enabled) { this.enabled = enabled; }
  public Integer getReplicas() { return replicas; }
  public void setReplicas(Integer replicas) { this.replicas = replicas; }
  public IngressSpec getIngress() { return ingress; }
  public void setIngress(IngressSpec ingress) { this.ingress = ingress; }
  public AuthSpec getAuth() { return auth; }
  public void setAuth(AuthSpec auth) { this.auth = auth; }
  public String getImage() { return image; }
  public void setImage(String image) { this.image = image; }

  public boolean enabledOrTrue() { return !Boolean.FALSE.equals(enabled); }

  /** Ingress of the dashboard. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class IngressSpec {
    @Required
    @Size(min = 1, max = 253)
    @ValidationRule(value = "self.matches('^(\\\\*\\\\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$')", message = "ingress.host must be a DNS name such as pulse.example.com (lower case, no scheme or port)")
    @JsonPropertyDescription("Host name, e.g. pulse.example.com.")
    private String host;

    @Size(min = 1, max = 253)
    @JsonPropertyDescription("IngressClass name, e.g. nginx. Default: the cluster's default class.")
    private String className;

    @Size(min = 1, max = 253)
    @ValidationRule(value = Validation.DNS1123_SUBDOMAIN_RULE, message = "must be a valid Kubernetes Secret name: lower-case letters, digits, '-' and '.', starting and ending with a letter or digit")
    @JsonPropertyDescription("Secret of type kubernetes.io/tls with the certificate for host. Omit for plain HTTP.")
    private String tlsSecretName;

    public String getHost() { return host; }
    public void setHost(String host) { this.host = host; }
    public String getClassName() { return className; }
    public void setClassName(String className) { this.className = className; }
    public String getTlsSecretName() { return tlsSecretName; }
    public void setTlsSecretName(String tlsSecretName) { this.tlsSecretName = tlsSecretName; }
  }

  /** Bearer-token authentication. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class AuthSpec {
    @Default("false")
    @JsonPropertyDescription("Require a bearer token on the REST API and WebSocket. Default false.")
    private Boolean enabled;

    @JsonPropertyDescription("Secret key holding the accepted token. The key defaults to token.")
    private SecretKeyRef tokenSecret;

    public Boolean getEnabled() { return enabled; }
    public void setEnabled(Boolean enabled) { this.enabled = enabled; }
    public SecretKeyRef getTokenSecret() { return tokenSecret; }
    public void setTokenSecret(SecretKeyRef tokenSecret) { this.tokenSecret = tokenSecret; }
  }
}
