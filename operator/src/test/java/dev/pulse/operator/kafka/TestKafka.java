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
import dev.pulse.testsupport.kafka.LocalKafka;
import org.apache.kafka.common.config.ConfigResource;

/**
 * The project's in-JVM Kafka broker (test-support's {@link LocalKafka}: KRaft, one node, Kafka's own cluster kit) with
 * topic auto-creation off, so that every topic a test sees was made by the operator; plus an Admin client to look at
 * topics as the broker reports them. Shared by the tests of this JVM; isolated by topic names.
 */
public final class TestKafka {

  private static TestKafka shared;
  private final LocalKafka broker;
  private final Admin admin;

  private TestKafka(LocalKafka broker) {
    this.broker = broker;
    Properties p = new Properties();
    p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
    this.admin = Admin.create(p);
  }

  public static synchronized TestKafka shared() {
    if (shared == null) {
      try {
        // Not closed at exit: LocalKafka keeps the kit's own exit-time clean-up from failing the fork.
        shared = new TestKafka(LocalKafka.start(Map.of("auto.create.topics.enable", "false")));
      } catch (Exception e) {
        throw new IllegalStateException("cannot start the embedded Kafka broker", e);
      }
    }
    return shared;
  }

  public String bootstrapServers() {
    return broker.bootstrapServers();
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
}
