package dev.pulse.crd.v1alpha1.feed;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.pulse.crd.common.SecretKeyRef;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** SASL user and password, as Strimzi's scram-sha-512 client authentication names them (username + passwordSecret). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class KafkaSasl {

  /** The SASL mechanisms Pulse's clients support. */
  public enum Mechanism {
    PLAIN("PLAIN"), SCRAM_SHA_256("SCRAM-SHA-256"), SCRAM_SHA_512("SCRAM-SHA-512");

    private final String kafkaName;

    Mechanism(String kafkaName) {
      this.kafkaName = kafkaName;
    }

    /** As Kafka's sasl.mechanism spells it. */
    public String kafkaName() { return kafkaName; }
  }

  @Default("SCRAM_SHA_512")
  @JsonPropertyDescription("SASL mechanism: SCRAM_SHA_512 (default; Strimzi's scram-sha-512 KafkaUsers), SCRAM_SHA_256 or PLAIN (PLAIN sends the password as it is: use it only with SASL_SSL).")
  private Mechanism mechanism;

  @Required
  @Size(min = 1, max = 256)
  @Pattern("^[^\\s\"\\\\]+$")
  @JsonPropertyDescription("SASL user name (not a secret; for a Strimzi KafkaUser, its name). No spaces, quotes or backslashes.")
  private String username;

  @Required
  @JsonPropertyDescription("Secret key holding the SASL password (default key password, as in a Strimzi KafkaUser's Secret). Read only from the Secret: the ingester gets it as a secretKeyRef environment variable, the operator reads it for its Admin client; it is never logged, copied into a ConfigMap or shown in a status.")
  private SecretKeyRef passwordSecret;

  public Mechanism getMechanism() { return mechanism; }
  public void setMechanism(Mechanism mechanism) { this.mechanism = mechanism; }
  public String getUsername() { return username; }
  public void setUsername(String username) { this.username = username; }
  public SecretKeyRef getPasswordSecret() { return passwordSecret; }
  public void setPasswordSecret(SecretKeyRef passwordSecret) { this.passwordSecret = passwordSecret; }

  public Mechanism mechanismOrDefault() { return mechanism == null ? Mechanism.SCRAM_SHA_512 : mechanism; }
}
