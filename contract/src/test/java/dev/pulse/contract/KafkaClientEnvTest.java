package dev.pulse.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class KafkaClientEnvTest {

  @Test
  void nothingSetIsPlaintextWithNoSettings() {
    assertThat(KafkaClientEnv.clientProperties(Map.<String, String>of()::get)).isEmpty();
    assertThat(KafkaClientEnv.sparkOptions(Map.of(KafkaClientEnv.PROTOCOL, "PLAINTEXT")::get)).isEmpty();
  }

  @Test
  void saslSslMakesTrustAndJaasSettingsWithEscapedCredentials() {
    Map<String, String> env = Map.of(KafkaClientEnv.PROTOCOL, "SASL_SSL", KafkaClientEnv.CA_CERTIFICATES, "PEM\n",
        KafkaClientEnv.SASL_USERNAME, "alice", KafkaClientEnv.SASL_PASSWORD, "p\"w\\d");
    assertThat(KafkaClientEnv.sparkOptions(env::get)).containsExactly(
        Map.entry("kafka.security.protocol", "SASL_SSL"),
        Map.entry("kafka.ssl.truststore.type", "PEM"),
        Map.entry("kafka.ssl.truststore.certificates", "PEM"),
        Map.entry("kafka.sasl.mechanism", "SCRAM-SHA-512"),
        Map.entry("kafka.sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required "
            + "username=\"alice\" password=\"p\\\"w\\\\d\";"));
  }

  @Test
  void aMissingPasswordOrAWrongValueNamesTheVariableOnly() {
    assertThatThrownBy(() -> KafkaClientEnv.clientProperties(Map.of(KafkaClientEnv.PROTOCOL, "SASL_PLAINTEXT",
        KafkaClientEnv.SASL_USERNAME, "alice")::get)).hasMessageContaining(KafkaClientEnv.SASL_PASSWORD);
    assertThatThrownBy(() -> KafkaClientEnv.clientProperties(Map.of(KafkaClientEnv.PROTOCOL, "TLS")::get))
        .hasMessageContaining(KafkaClientEnv.PROTOCOL).hasMessageNotContaining("TLS\"");
    assertThatThrownBy(() -> KafkaClientEnv.clientProperties(Map.of(KafkaClientEnv.PROTOCOL, "SASL_SSL",
        KafkaClientEnv.SASL_MECHANISM, "GSSAPI", KafkaClientEnv.SASL_USERNAME, "a",
        KafkaClientEnv.SASL_PASSWORD, "secret-value")::get))
        .hasMessageContaining(KafkaClientEnv.SASL_MECHANISM).hasMessageNotContaining("secret-value");
  }
}
