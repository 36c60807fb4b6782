package dev.pulse.testsupport.kafka;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;

/**
 * A real Kafka broker in this JVM (Kafka's cluster kit, KRaft, one node) whose client listener speaks only SSL, with
 * a certificate for localhost that keytool makes at start; {@link #caPem} is what a CA Secret would hold. The kit
 * itself speaks PLAINTEXT: its client listener (EXTERNAL) is switched to SSL by configuration, with the broker's own
 * keystore also serving as the trust store for the broker's traffic to itself.
 */
public final class TlsKafka implements AutoCloseable {
  private static final String STORE_PASSWORD = "changeit";
  private static TlsKafka shared;
  private final KafkaClusterTestKit cluster;
  private final Path dir;
  private final String caPem;

  private TlsKafka(KafkaClusterTestKit cluster, Path dir, String caPem) {
    this.cluster = cluster;
    this.dir = dir;
    this.caPem = caPem;
  }

  /** One broker for the whole JVM, started on first use and stopped with the JVM. */
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

  /** A broker of the caller's own, to {@link #close()}. */
  public static TlsKafka start() throws Exception {
    Path dir = Files.createTempDirectory("pulse-tls-kafka");
    Path keystore = dir.resolve("broker.p12");
    keytool("-genkeypair", "-alias", "broker", "-keyalg", "RSA", "-keysize", "2048", "-dname", "CN=localhost",
        "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-validity", "30", "-storetype", "PKCS12", "-keystore",
        keystore.toString(), "-storepass", STORE_PASSWORD, "-keypass", STORE_PASSWORD);
    String pem = keytool("-exportcert", "-rfc", "-alias", "broker", "-keystore", keystore.toString(), "-storepass",
        STORE_PASSWORD);
    LocalKafka.keepExitClean();
    KafkaClusterTestKit cluster = new KafkaClusterTestKit.Builder(new TestKitNodes.Builder().setCombined(true)
        .setNumBrokerNodes(1).setNumControllerNodes(1).build())
        .setConfigProp("listener.security.protocol.map", "EXTERNAL:SSL,CONTROLLER:PLAINTEXT")
        .setConfigProp("ssl.keystore.type", "PKCS12")
        .setConfigProp("ssl.keystore.location", keystore.toString())
        .setConfigProp("ssl.keystore.password", STORE_PASSWORD)
        .setConfigProp("ssl.key.password", STORE_PASSWORD)
        .setConfigProp("ssl.truststore.type", "PKCS12")
        .setConfigProp("ssl.truststore.location", keystore.toString())
        .setConfigProp("ssl.truststore.password", STORE_PASSWORD)
        .setConfigProp("offsets.topic.replication.factor", "1")
        .setConfigProp("transaction.state.log.replication.factor", "1")
        .setConfigProp("transaction.state.log.min.isr", "1")
        .setConfigProp("auto.create.topics.enable", "false")
        .build();
    cluster.format();
    cluster.startup();
    cluster.waitForReadyBrokers();
    return new TlsKafka(cluster, dir, pem);
  }

  private static String keytool(String... args) throws IOException, InterruptedException {
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

  /** The same certificate as a PEM file, as the operator mounts a CA Secret for a client. */
  public Path caFile() throws IOException {
    Path file = dir.resolve("ca.crt");
    if (!Files.exists(file)) {
      Files.writeString(file, caPem);
    }
    return file;
  }

  @Override
  public void close() throws Exception {
    cluster.close();
  }
}
