package dev.pulse.crd.v1alpha1.pipeline;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.pulse.crd.common.SecretKeyRef;
import dev.pulse.crd.common.Validation;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;

/** The dashboard backend and web app. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "!has(self.auth) || !self.auth.enabled || has(self.auth.tokenSecret)", message = "dashboard.auth.tokenSecret is required when dashboard.auth.enabled is true", fieldPath = ".auth")
public class DashboardSpec {

  @Default("true")
  @JsonPropertyDescription("Deploy the dashboard. Default true.")
  private Boolean enabled;

  @Min(0)
  @Max(10)
  @JsonPropertyDescription("Dashboard replicas (0-10). Omit to leave the count to its owner, e.g. a HorizontalPodAutoscaler or kubectl scale: the Deployment starts with 1 and the operator never sets it (server-side apply field ownership). 0 runs no dashboard pod.")
  private Integer replicas;

  @JsonPropertyDescription("Expose the dashboard through an Ingress. Omit for a ClusterIP Service only.")
  private IngressSpec ingress;

  @JsonPropertyDescription("Bearer-token authentication of the REST API and WebSocket.")
  private AuthSpec auth;

  @Size(min = 1, max = 512)
  @JsonPropertyDescription("Dashboard image. Defaults to the operator's dashboard image of the same Pulse version.")
  private String image;

  @Size(max = 20)
  @ValidationRule(value = "self.all(b, self.exists_one(o, o.name.lowerAscii() == b.name.lowerAscii()))", message = "dashboard.brands: each brand name may appear only once (ignoring case)")
  @JsonPropertyDescription("The brands or topics the dashboard compares: its brand picker, compare mode and share of voice. A scored post counts for a brand when its text contains one of the brand's terms as whole words, ignoring case. Omit to show the pipeline as one series.")
  private List<Brand> brands;

  @ValidationRule(value = Validation.DURATION_RULE, message = Validation.DURATION_MESSAGE)
  @JsonPropertyDescription("How far back the dashboard reads its pipeline's output topics at start-up, so a restart keeps this much history; also the longest window it offers. A duration such as 24h. Keep it within the output topics' retention (spec.kafka.retention). Default 24h.")
  private String lookback;

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
  public List<Brand> getBrands() { return brands; }
  public void setBrands(List<Brand> brands) { this.brands = brands; }
  public String getLookback() { return lookback; }
  public void setLookback(String lookback) { this.lookback = lookback; }

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

  /** A brand (or topic) and the words that name it in a post. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class Brand {
    @Required
    @Size(min = 1, max = 63)
    @Pattern("^[^=]+$")
    @JsonPropertyDescription("Display name, e.g. Northwind Air (no '=').")
    private String name;

    @Required
    @Size(min = 1, max = 20)
    @JsonPropertyDescription("Words or phrases that name the brand in a post, e.g. [northwind air, northwindair]; matched as whole words, ignoring case.")
    private List<String> terms;

    public String getName() { return name; }
    public void setName(String name) { this.name = name; }
    public List<String> getTerms() { return terms; }
    public void setTerms(List<String> terms) { this.terms = terms; }
  }
}
