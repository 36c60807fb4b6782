package dev.pulse.crd.v1alpha1.feed;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.pulse.crd.common.SecretKeyRef;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.ValidationRule;

/**
 * How Pulse's Kafka clients connect to a Kafka reached by bootstrap servers: TLS (the brokers' CA from a Secret) and
 * SASL (a user name and a password from a Secret), as Strimzi's own client authentication blocks describe them.
 * Credentials are only ever read from Secrets: the ingester gets them as secretKeyRef environment variables and a
 * mounted CA file; the operator reads them for its Admin API client and never logs, copies or reports them.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "(self.protocol == 'SASL_PLAINTEXT' || self.protocol == 'SASL_SSL') == has(self.sasl)",
    message = "kafka.security.sasl must be set exactly when kafka.security.protocol is SASL_PLAINTEXT or SASL_SSL")
@ValidationRule(value = "!has(self.caSecret) || self.protocol == 'SSL' || self.protocol == 'SASL_SSL'",
    message = "kafka.security.caSecret is used only with TLS: set kafka.security.protocol to SSL or SASL_SSL")
public class KafkaSecurity {

  /** Kafka's security.protocol values. */
  public enum Protocol { PLAINTEXT, SSL, SASL_PLAINTEXT, SASL_SSL }

  @Default("PLAINTEXT")
  @JsonPropertyDescription("Kafka's security.protocol for every Pulse client of this Kafka (the operator's Admin API client, and the ingester's producer): PLAINTEXT (default), SSL (TLS), SASL_PLAINTEXT or SASL_SSL (SASL over TLS, what a production cluster usually wants).")
  private Protocol protocol;

  @JsonPropertyDescription("Secret holding the PEM certificate(s) of the CA that signed the brokers' certificates (default key ca.crt, as in Strimzi's <cluster>-cluster-ca-cert Secret). Without it the JVM's default trust store is used (a public CA). Only with SSL or SASL_SSL. The ingester mounts it read-only; the operator reads it for its Admin client.")
  private SecretKeyRef caSecret;

  @JsonPropertyDescription("SASL authentication; required with SASL_PLAINTEXT and SASL_SSL, refused otherwise.")
  private KafkaSasl sasl;

  public Protocol getProtocol() { return protocol; }
  public void setProtocol(Protocol protocol) { this.protocol = protocol; }
  public SecretKeyRef getCaSecret() { return caSecret; }
  public void setCaSecret(SecretKeyRef caSecret) { this.caSecret = caSecret; }
  public KafkaSasl getSasl() { return sasl; }
  public void setSasl(KafkaSasl sasl) { this.sasl = sasl; }

  /** The protocol, PLAINTEXT when unset. */
  public Protocol protocolOrDefault() { return protocol == null ? Protocol.PLAINTEXT : protocol; }
}
