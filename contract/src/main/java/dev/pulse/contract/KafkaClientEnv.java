package dev.pulse.contract;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * How a SentimentPipeline's own Kafka clients (the Spark job's source and sink, the dashboard's consumer and its
 * labelled-topic producer) connect to a TLS or SASL Kafka: the environment variables the operator sets on the Spark
 * driver and executors and on the dashboard, from {@code spec.kafka.security}, and the Kafka client settings they
 * make. None set: PLAINTEXT, as before. The CA's PEM and the SASL password come only from Secrets (secretKeyRef
 * variables); the password ends up only in {@code sasl.jaas.config}, which Kafka's clients print as
 * {@code [hidden]} and Spark redacts (its value holds "password").
 */
public final class KafkaClientEnv {
  /** PLAINTEXT, SSL, SASL_PLAINTEXT or SASL_SSL; unset = PLAINTEXT. */
  public static final String PROTOCOL = "PULSE_KAFKA_SECURITY_PROTOCOL";
  /** PEM certificate(s) of the CA that signed the brokers' certificates (secretKeyRef); unset = the JVM's trust. */
  public static final String CA_CERTIFICATES = "PULSE_KAFKA_CA_CERTIFICATES";
  /** PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512 (default). */
  public static final String SASL_MECHANISM = "PULSE_KAFKA_SASL_MECHANISM";
  /** The SASL user name (not a secret). */
  public static final String SASL_USERNAME = "PULSE_KAFKA_SASL_USERNAME";
  /** The SASL password (secretKeyRef only). */
  public static final String SASL_PASSWORD = "PULSE_KAFKA_SASL_PASSWORD";

  /** Every variable, in the order the operator writes them. */
  public static final List<String> ALL = List.of(PROTOCOL, CA_CERTIFICATES, SASL_MECHANISM, SASL_USERNAME,
      SASL_PASSWORD);

  private static final List<String> PROTOCOLS = List.of("PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL");
  private static final List<String> MECHANISMS = List.of("PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512");

  private KafkaClientEnv() {}

  /**
   * Kafka client settings ({@code security.protocol}, {@code ssl.truststore.*}, {@code sasl.*}) from the variables
   * {@code env} gives; empty when {@link #PROTOCOL} is unset or PLAINTEXT. A wrong protocol or mechanism, or SASL
   * without its user or password, is an {@link IllegalArgumentException} naming the variable, never a value.
   */
  public static Map<String, String> clientProperties(Function<String, String> env) {
    Map<String, String> p = new LinkedHashMap<>();
    String protocol = blankToNull(env.apply(PROTOCOL));
    if (protocol == null || protocol.equals("PLAINTEXT")) {
      return p;
    }
    if (!PROTOCOLS.contains(protocol)) {
      throw new IllegalArgumentException(PROTOCOL + " must be one of " + PROTOCOLS);
    }
    p.put("security.protocol", protocol);
    String ca = blankToNull(env.apply(CA_CERTIFICATES));
    if (protocol.endsWith("SSL") && ca != null) {
      // Inline PEM: no trust store file to mount into the driver, the executors and the dashboard.
      p.put("ssl.truststore.type", "PEM");
      p.put("ssl.truststore.certificates", ca.strip());
    }
    if (protocol.startsWith("SASL")) {
      String mechanism = blankToNull(env.apply(SASL_MECHANISM));
      mechanism = mechanism == null ? "SCRAM-SHA-512" : mechanism;
      if (!MECHANISMS.contains(mechanism)) {
        throw new IllegalArgumentException(SASL_MECHANISM + " must be one of " + MECHANISMS);
      }
      String user = require(env, SASL_USERNAME);
      String password = require(env, SASL_PASSWORD);
      String module = mechanism.equals("PLAIN") ? "org.apache.kafka.common.security.plain.PlainLoginModule"
          : "org.apache.kafka.common.security.scram.ScramLoginModule";
      p.put("sasl.mechanism", mechanism);
      p.put("sasl.jaas.config", module + " required username=\"" + jaasEscape(user) + "\" password=\""
          + jaasEscape(password) + "\";");
    }
    return p;
  }

  /** The same settings as Spark's Kafka source and sink take them: each key prefixed with {@code kafka.}. */
  public static Map<String, String> sparkOptions(Function<String, String> env) {
    Map<String, String> options = new LinkedHashMap<>();
    clientProperties(env).forEach((k, v) -> options.put("kafka." + k, v));
    return options;
  }

  private static String require(Function<String, String> env, String name) {
    String value = blankToNull(env.apply(name));
    if (value == null) {
      throw new IllegalArgumentException(name + " is required with SASL");
    }
    return value.strip();
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s;
  }

  /** JAAS option values are double-quoted: a quote or backslash in a credential is escaped. */
  static String jaasEscape(String value) {
    return value.replace("\\", "\\\\").replace("\"", "\\\"");
  }
}
