package dev.pulse.ingest;

import dev.pulse.contract.IngestConfig;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The Kafka client settings of a connection's security ({@link IngestConfig.Security}): TLS with the brokers' CA as
 * a PEM file (a mounted Secret), and SASL with a user name and password read only from the environment
 * ({@value #USERNAME_ENV}, {@value #PASSWORD_ENV}, filled from a Kubernetes Secret). The password ends up only in
 * {@code sasl.jaas.config}, a setting Kafka's clients print as {@code [hidden]} when they log their config.
 */
public final class KafkaSecurity {
  public static final String USERNAME_ENV = "KAFKA_SASL_USERNAME";
  public static final String PASSWORD_ENV = "KAFKA_SASL_PASSWORD";

  private KafkaSecurity() {}

  public static Map<String, String> clientProperties(IngestConfig.Security security, Map<String, String> env) {
    Map<String, String> p = new LinkedHashMap<>();
    if (security == null) {
      return p;
    }
    String protocol = security.protocol() == null ? "PLAINTEXT" : security.protocol();
    p.put("security.protocol", protocol);
    if (protocol.endsWith("SSL") && security.caFile() != null) {
      p.put("ssl.truststore.type", "PEM");
      p.put("ssl.truststore.location", security.caFile());
    }
    if (protocol.startsWith("SASL")) {
      String mechanism = security.saslMechanism() == null ? "SCRAM-SHA-512" : security.saslMechanism();
      Secret user = Secret.require(env, USERNAME_ENV);
      Secret password = Secret.require(env, PASSWORD_ENV);
      String module = "PLAIN".equals(mechanism) ? "org.apache.kafka.common.security.plain.PlainLoginModule"
          : "org.apache.kafka.common.security.scram.ScramLoginModule";
      p.put("sasl.mechanism", mechanism);
      p.put("sasl.jaas.config", module + " required username=\"" + jaasEscape(user.reveal()) + "\" password=\""
          + jaasEscape(password.reveal()) + "\";");
    }
    return p;
  }

  /** JAAS option values are double-quoted: a quote or backslash in a credential is escaped. */
  static String jaasEscape(String value) {
    return value.replace("\\", "\\\\").replace("\"", "\\\"");
  }
}
