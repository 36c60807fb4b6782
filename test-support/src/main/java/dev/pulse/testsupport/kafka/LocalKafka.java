package dev.pulse.testsupport.kafka;

import java.util.Map;
import kafka.server.BrokerServer;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.apache.kafka.common.utils.Exit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real Kafka broker (KRaft, one combined broker+controller node) inside this JVM, from Kafka's own cluster kit of
 * the clients' version: what `./pulse bench pipeline` runs the job against. Data in a temporary directory.
 */
public final class LocalKafka implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LocalKafka.class);
  private final KafkaClusterTestKit cluster;

  private LocalKafka(KafkaClusterTestKit cluster) {
    this.cluster = cluster;
  }

  public static LocalKafka start() throws Exception {
    return start(Map.of());
  }

  /** A broker with these broker settings on top of the single-node ones (tests: partitions, auto-creation). */
  public static LocalKafka start(Map<String, String> brokerConfig) throws Exception {
    keepExitClean();
    KafkaClusterTestKit.Builder builder = new KafkaClusterTestKit.Builder(new TestKitNodes.Builder()
        .setCombined(true).setNumBrokerNodes(1).setNumControllerNodes(1).build())
        .setConfigProp("offsets.topic.replication.factor", "1")
        .setConfigProp("offsets.topic.num.partitions", "1")
        .setConfigProp("transaction.state.log.replication.factor", "1")
        .setConfigProp("transaction.state.log.min.isr", "1")
        .setConfigProp("group.initial.rebalance.delay.ms", "0");
    brokerConfig.forEach(builder::setConfigProp);
    KafkaClusterTestKit cluster = builder.build();
    cluster.format();
    cluster.startup();
    cluster.waitForReadyBrokers();
    return new LocalKafka(cluster);
  }

  public String bootstrapServers() {
    return cluster.bootstrapServers();
  }

  /**
   * Stops the broker as a crash-free restart would (its controlled shutdown; the KRaft controller of the combined
   * node keeps running), keeping its log directory. Clients see it gone until {@link #startBroker}.
   */
  public void stopBroker() {
    for (BrokerServer broker : cluster.brokers().values()) {
      broker.shutdown();
      broker.awaitShutdown();
    }
  }

  /**
   * Starts the stopped broker again on the same port (the cluster kit pre-binds each listener's port and binds it
   * anew on a restart) with the same log directory, and waits until it serves: the same bootstrap address works.
   */
  public void startBroker() throws Exception {
    for (BrokerServer broker : cluster.brokers().values()) {
      broker.startup();
    }
    cluster.waitForReadyBrokers();
  }

  @Override
  public void close() throws Exception {
    cluster.close();
  }

  /**
   * The cluster kit deletes its temporary directories in shutdown hooks. A broker still running at exit (a test JVM's
   * shared broker, or Ctrl-C on {@code ./pulse local} while another hook closes it) then finds its log directory
   * gone and calls Kafka's {@code Exit.halt(1)}, which turns a clean exit into status 1: surefire reports a fork
   * whose tests all passed as failed. Once the JVM is shutting down, Kafka's halt and exit calls are logged and
   * ignored (the JVM is ending anyway, and {@code System.exit} there would block for ever); before that they do what
   * Kafka asks.
   */
  public static synchronized void keepExitClean() {
    Exit.setHaltProcedure((status, message) -> {
      if (!shuttingDown()) Runtime.getRuntime().halt(status);
      LOG.warn("ignored Kafka's halt({}) while the JVM shuts down: {}", status, message);
    });
    Exit.setExitProcedure((status, message) -> {
      if (!shuttingDown()) System.exit(status);
      LOG.warn("ignored Kafka's exit({}) while the JVM shuts down: {}", status, message);
    });
  }

  /** True once the JVM has begun running its shutdown hooks (it then refuses new ones). */
  static boolean shuttingDown() {
    Thread probe = new Thread(() -> {});
    try {
      Runtime.getRuntime().addShutdownHook(probe);
      Runtime.getRuntime().removeShutdownHook(probe);
      return false;
    } catch (IllegalStateException e) {
      return true;
    }
  }
}
