package dev.pulse.testsupport.kafka;

import org.apache.kafka.common.security.auth.SecurityProtocol;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;

/**
 * A real Kafka broker in this JVM (Kafka's own cluster kit, KRaft, one node) whose listeners take only
 * SASL_PLAINTEXT with the PLAIN mechanism and whose StandardAuthorizer allows only the super user: the kit's own
 * users, {@value #USER} (super user) and {@value #OTHER_USER} (no ACLs). What a Kafka that requires authentication
 * looks like to a client; TLS is not part of it (see {@link TlsKafka}). The kit points the JVM's
 * java.security.auth.login.config at its JAAS file, which only brokers read.
 */
public final class SaslKafka implements AutoCloseable {
  public static final String USER = "plain-admin";
  public static final String PASSWORD = "plain-admin-secret";
  public static final String OTHER_USER = "plain-user1";
  public static final String OTHER_PASSWORD = "plain-user1-secret";

  private static SaslKafka shared;
  private final KafkaClusterTestKit cluster;

  private SaslKafka(KafkaClusterTestKit cluster) {
    this.cluster = cluster;
  }

  /** One broker for the whole JVM, started on first use and stopped with the JVM. */
  public static synchronized SaslKafka shared() {
    if (shared == null) {
      try {
        shared = start();
      } catch (Exception e) {
        throw new IllegalStateException("cannot start the SASL Kafka broker", e);
      }
    }
    return shared;
  }

  /** A broker of the caller's own, to {@link #close()}. */
  public static SaslKafka start() throws Exception {
    LocalKafka.keepExitClean();
    KafkaClusterTestKit cluster = new KafkaClusterTestKit.Builder(new TestKitNodes.Builder()
        .setCombined(true).setNumBrokerNodes(1).setNumControllerNodes(1)
        .setBrokerSecurityProtocol(SecurityProtocol.SASL_PLAINTEXT)
        .setControllerSecurityProtocol(SecurityProtocol.SASL_PLAINTEXT).build())
        .setConfigProp("offsets.topic.replication.factor", "1")
        .setConfigProp("transaction.state.log.replication.factor", "1")
        .setConfigProp("transaction.state.log.min.isr", "1")
        .setConfigProp("auto.create.topics.enable", "false")
        .build();
    cluster.format();
    cluster.startup();
    cluster.waitForReadyBrokers();
    return new SaslKafka(cluster);
  }

  public String bootstrapServers() {
    return cluster.bootstrapServers();
  }

  @Override
  public void close() throws Exception {
    cluster.close();
  }
}
