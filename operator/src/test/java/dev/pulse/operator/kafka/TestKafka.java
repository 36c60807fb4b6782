package dev.pulse.operator.kafka;

import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.apache.kafka.common.utils.Exit;

/**
 * A real Kafka broker (KRaft, one combined broker and controller) in the test JVM, from Kafka's own cluster kit of the
 * clients' version: the same start-up as pipeline-runtime's {@code LocalKafka} (which the operator cannot depend on
 * without Spark), with topic auto-creation off so that every topic a test sees was made by the operator. Shared by
 * the tests of this JVM; isolated by topic names.
 */
public final class TestKafka {

  private static TestKafka shared;
  private final KafkaClusterTestKit cluster;
  private final Admin admin;

  private TestKafka(KafkaClusterTestKit cluster) {
    this.cluster = cluster;
    Properties p = new Properties();
    p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers());
    this.admin = Admin.create(p);
  }

  public static synchronized TestKafka shared() {
    if (shared == null) {
      try {
        keepExitClean();
        KafkaClusterTestKit cluster = new KafkaClusterTestKit.Builder(new TestKitNodes.Builder()
            .setCombined(true).setNumBrokerNodes(1).setNumControllerNodes(1).build())
            .setConfigProp("auto.create.topics.enable", "false")
            .setConfigProp("offsets.topic.replication.factor", "1")
            .setConfigProp("transaction.state.log.replication.factor", "1")
            .setConfigProp("transaction.state.log.min.isr", "1")
            .build();
        cluster.format();
        cluster.startup();
        cluster.waitForReadyBrokers();
        shared = new TestKafka(cluster);
        // Not closed at exit: the kit deletes its directory in its own hook (see keepExitClean).
      } catch (Exception e) {
        throw new IllegalStateException("cannot start the embedded Kafka broker", e);
      }
    }
    return shared;
  }

  public String bootstrapServers() {
    return cluster.bootstrapServers();
  }

  /** The topic as the broker describes it, or null when it does not exist. */
  public TopicDescription describe(String topic) {
    try {
      return admin.describeTopics(Set.of(topic)).allTopicNames().get(30, TimeUnit.SECONDS).get(topic);
    } catch (java.util.concurrent.ExecutionException e) {
      if (e.getCause() instanceof org.apache.kafka.common.errors.UnknownTopicOrPartitionException) {
        return null;
      }
      throw new IllegalStateException(e);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** A topic config value as the broker reports it. */
  public String config(String topic, String key) {
    try {
      ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
      Map<ConfigResource, Config> configs = admin.describeConfigs(Set.of(resource)).all().get(30, TimeUnit.SECONDS);
      return configs.get(resource).get(key).value();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** Makes a topic behind the operator's back (to check it is adopted, or that a shrink is refused). */
  public void create(String topic, int partitions, Map<String, String> config) {
    try {
      admin.createTopics(Set.of(new org.apache.kafka.clients.admin.NewTopic(topic, partitions, (short) 1).configs(config)))
          .all().get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  public static Duration timeout() {
    return Duration.ofSeconds(30);
  }

  /**
   * The cluster kit deletes its directories in shutdown hooks; a broker still running then calls Kafka's
   * Exit.halt(1), which would turn surefire's clean exit into a failed fork. Ignore Kafka's exit calls once the JVM is
   * shutting down (as LocalKafka does).
   */
  private static void keepExitClean() {
    Exit.setHaltProcedure((status, message) -> {
      if (!shuttingDown()) Runtime.getRuntime().halt(status);
    });
    Exit.setExitProcedure((status, message) -> {
      if (!shuttingDown()) System.exit(status);
    });
  }

  private static boolean shuttingDown() {
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
