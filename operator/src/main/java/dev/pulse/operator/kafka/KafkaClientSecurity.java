package dev.pulse.operator.kafka;

import dev.pulse.crd.common.SecretKeyRef;
import dev.pulse.crd.v1alpha1.feed.KafkaSecurity;
import dev.pulse.operator.support.References;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The operator's Admin client settings for a resource's {@code kafka.security}: TLS with the CA read from a Secret
 * (inline PEM, {@code ssl.truststore.certificates}: no file is written) and SASL with the password read from a Secret
 * ({@code sasl.jaas.config}, which Kafka's clients print as {@code [hidden]}). A missing Secret or key is a
 * {@link References.Problem} naming the Secret and key, never a value.
 */
public final class KafkaClientSecurity {

  public static final String DEFAULT_CA_KEY = "ca.crt";
  public static final String DEFAULT_PASSWORD_KEY = "password";

  /** Either the connection, or why it cannot be made. */
  public record Resolved(KafkaConnection connection, References.Problem problem) {}

  private KafkaClientSecurity() {}

  public static Resolved resolve(KubernetesClient client, String namespace, String bootstrapServers,
      KafkaSecurity security) {
    if (security == null || security.protocolOrDefault() == KafkaSecurity.Protocol.PLAINTEXT) {
      return new Resolved(KafkaConnection.plaintext(bootstrapServers), null);
    }
    Map<String, String> p = new LinkedHashMap<>();
    KafkaSecurity.Protocol protocol = security.protocolOrDefault();
    p.put("security.protocol", protocol.name());
    if (security.getCaSecret() != null) {
      SecretKeyRef ca = security.getCaSecret();
      Optional<String> pem = value(client, namespace, ca.getName(), ca.keyOr(DEFAULT_CA_KEY));
      if (pem.isEmpty()) {
        return new Resolved(null, missing(client, namespace, ca.getName(), ca.keyOr(DEFAULT_CA_KEY),
            "Kafka CA certificate, kafka.security.caSecret"));
      }
      p.put("ssl.truststore.type", "PEM");
      p.put("ssl.truststore.certificates", pem.get());
    }
    if (security.getSasl() != null) {
      var sasl = security.getSasl();
      SecretKeyRef ref = sasl.getPasswordSecret();
      String key = ref.keyOr(DEFAULT_PASSWORD_KEY);
      Optional<String> password = value(client, namespace, ref.getName(), key);
      if (password.isEmpty()) {
        return new Resolved(null, missing(client, namespace, ref.getName(), key,
            "Kafka SASL password, kafka.security.sasl.passwordSecret"));
      }
      p.putAll(sasl(sasl.mechanismOrDefault().kafkaName(), sasl.getUsername(), password.get()));
    }
    return new Resolved(new KafkaConnection(bootstrapServers, p), null);
  }

  /** sasl.mechanism and sasl.jaas.config for a user and password. */
  static Map<String, String> sasl(String mechanism, String username, String password) {
    String module = "PLAIN".equals(mechanism) ? "org.apache.kafka.common.security.plain.PlainLoginModule"
        : "org.apache.kafka.common.security.scram.ScramLoginModule";
    return Map.of("sasl.mechanism", mechanism, "sasl.jaas.config", module + " required username=\""
        + escape(username) + "\" password=\"" + escape(password) + "\";");
  }

  private static String escape(String value) {
    return value.replace("\\", "\\\\").replace("\"", "\\\"");
  }

  private static Optional<String> value(KubernetesClient client, String namespace, String name, String key) {
    Secret secret = client.secrets().inNamespace(namespace).withName(name).get();
    if (secret == null) {
      return Optional.empty();
    }
    if (secret.getData() != null && secret.getData().get(key) != null) {
      return Optional.of(new String(Base64.getDecoder().decode(secret.getData().get(key)), StandardCharsets.UTF_8)
          .strip());
    }
    if (secret.getStringData() != null && secret.getStringData().get(key) != null) {
      return Optional.of(secret.getStringData().get(key).strip());
    }
    return Optional.empty();
  }

  private static References.Problem missing(KubernetesClient client, String namespace, String name, String key,
      String usedFor) {
    return References.secretKey(client, namespace, name, key, usedFor)
        .orElse(new References.Problem(References.SECRET_MISSING, "Secret " + name + " (" + usedFor + ") key " + key
            + " is empty"));
  }
}
