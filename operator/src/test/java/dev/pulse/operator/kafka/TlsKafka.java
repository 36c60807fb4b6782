package dev.pulse.operator.kafka;

import dev.pulse.testsupport.kafka.LocalKafka;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;

/**
 * A real Kafka broker in this JVM (Kafka's cluster kit, KRaft, one node) whose client listener speaks only SSL, with
 * a certificate for localhost that keytool makes at start; {@link #caPem} is what a CA Secret would hold. The kit
 * itself speaks PLAINTEXT: its client listener is switched to SSL by configuration.
 */
public final class TlsKafka {
  private static TlsKafka shared;
  private final KafkaClusterTestKit cluster;
  private final String caPem;

  private TlsKafka(KafkaClusterTestKit cluster, String caPem) {
    this.cluster = cluster;
    this.caPem = caPem;
  }

  public static synchronized TlsKafka shared() {
    if (shared == null) {
      try {
        shared = start();
      } catch (Exception e) {
        throw new IllegalStateException("cannot start the TLS Kafka broker", e);
      }
    }
    return shared;
  }

  private static TlsKafka start() throws Exception {
    Path dir = Files.createTempDirectory("pulse-tls-kafka");
    Path keystore = dir.resolve("broker.p12");
    keytool("-genkeypair", "-alias", "broker", "-keyalg", "RSA", "-keysize", "2048", "-dname", "CN=localhost",
        "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-validity", "30", "-storetype", "PKCS12", "-keystore",
        keystore.toString(), "-storepass", "changeit", "-keypass", "changeit");
    String pem = keytool("-exportcert", "-rfc", "-alias", "broker", "-keystore", keystore.toString(), "-storepass",
        "changeit");
    LocalKafka.keepExitClean();
    KafkaClusterTestKit cluster = new KafkaClusterTestKit.Builder(new TestKitNodes.Builder().setCombined(true)
        .setNumBrokerNodes(1).setNumControllerNodes(1).build())
        .setConfigProp("listener.security.protocol.map", "EXTERNAL:SSL,CONTROLLER:PLAINTEXT")
        .setConfigProp("ssl.keystore.type", "PKCS12")
        .setConfigProp("ssl.keystore.location", keystore.toString())
        .setConfigProp("ssl.keystore.password", "changeit")
        .setConfigProp("ssl.key.password", "changeit")
        .setConfigProp("ssl.truststore.type", "PKCS12")
        .setConfigProp("ssl.truststore.location", keystore.toString())
        .setConfigProp("ssl.truststore.password", "changeit")
        .setConfigProp("offsets.topic.replication.factor", "1")
        .setConfigProp("auto.create.topics.enable", "false")
        .build();
    cluster.format();
    cluster.startup();
    cluster.waitForReadyBrokers();
    return new TlsKafka(cluster, pem);
  }

  private static String keytool(String... args) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).start();
    String out = new String(p.getInputStream().readAllBytes());
    if (p.waitFor() != 0) {
      throw new IllegalStateException("keytool failed: " + new String(p.getErrorStream().readAllBytes()));
    }
    return out;
  }

  public String bootstrapServers() {
    return cluster.bootstrapServers();
  }

  /** The broker's certificate (self-signed: its own CA) as PEM. */
  public String caPem() {
    return caPem;
  }
}
