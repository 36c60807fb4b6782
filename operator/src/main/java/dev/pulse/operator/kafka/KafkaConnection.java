package dev.pulse.operator.kafka;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;

/**
 * Where and how the operator reaches a Kafka: its bootstrap servers and the client settings of the connection's
 * security (security.protocol, the CA, SASL with its password), as {@link KafkaClientSecurity} resolved them from
 * Secrets. The settings can hold a password: {@link #toString} and every message show only the bootstrap servers and
 * the protocol, and clients are told apart by a digest of the settings, never by the settings themselves.
 */
public record KafkaConnection(String bootstrapServers, Map<String, String> clientProperties) {

  public KafkaConnection {
    clientProperties = clientProperties == null ? Map.of() : Map.copyOf(clientProperties);
  }

  /** A PLAINTEXT connection without authentication. */
  public static KafkaConnection plaintext(String bootstrapServers) {
    return new KafkaConnection(bootstrapServers, Map.of());
  }

  public String protocol() {
    return clientProperties.getOrDefault("security.protocol", "PLAINTEXT");
  }

  /** Identifies the settings (a changed password gets a new client) without revealing them. */
  String key() {
    if (clientProperties.isEmpty()) {
      return bootstrapServers;
    }
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      new TreeMap<>(clientProperties).forEach((k, v) -> {
        sha.update(k.getBytes(StandardCharsets.UTF_8));
        sha.update((byte) 0);
        sha.update(v.getBytes(StandardCharsets.UTF_8));
        sha.update((byte) 0);
      });
      return bootstrapServers + "#" + HexFormat.of().formatHex(sha.digest(), 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public String toString() {
    return "KafkaConnection[" + bootstrapServers + ", " + protocol() + "]";
  }
}
