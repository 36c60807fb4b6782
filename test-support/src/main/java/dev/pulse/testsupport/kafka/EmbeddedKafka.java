package dev.pulse.testsupport.kafka;

import dev.pulse.event.EventJson;
import dev.pulse.event.Post;
import dev.pulse.testsupport.kafka.LocalKafka;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * A real Kafka broker in the test JVM ({@link LocalKafka}: KRaft, one node, Kafka's own cluster kit of the clients'
 * version), plus helpers that create a topic and read one from the start.
 */
public final class EmbeddedKafka implements AutoCloseable {
  private final LocalKafka broker;

  private EmbeddedKafka(LocalKafka broker) {
    this.broker = broker;
  }

  private static EmbeddedKafka shared;

  /**
   * One broker for every test of the JVM that asks for it, still running when surefire ends the JVM. The kit's own
   * shutdown hook then deletes its log directory under it, and the broker's halt that follows is ignored
   * ({@link LocalKafka#keepExitClean}); before that was in place this module's test JVM exited
   * with status 1 now and then after all its tests had passed.
   */
  public static synchronized EmbeddedKafka shared() {
    if (shared == null) {
      try {
        shared = start();
      } catch (Exception e) {
        throw new IllegalStateException("could not start the embedded Kafka broker", e);
      }
    }
    return shared;
  }

  /** {@link LocalKafka}'s broker, with three partitions to a topic and topics created on first use. */
  public static EmbeddedKafka start() throws Exception {
    return new EmbeddedKafka(LocalKafka.start(Map.of("num.partitions", "3", "auto.create.topics.enable", "true")));
  }

  public String bootstrapServers() {
    return broker.bootstrapServers();
  }

  /** The broker itself: {@link LocalKafka#stopBroker} and {@link LocalKafka#startBroker} restart it (not on shared()). */
  public LocalKafka broker() {
    return broker;
  }

  /**
   * Creates a topic and waits until every partition has a leader, as the operator's KafkaTopic does before an
   * ingester starts. Relying on auto-creation instead lets a loaded machine expire the first batch while a
   * partition still has no leader, and the retried batch then duplicates the records that did land.
   */
  public void createTopic(String name, int partitions) {
    dev.pulse.testsupport.kafka.KafkaTopics.ensure(bootstrapServers(), List.of(name), partitions);
  }

  /** Every record on the topic, read from the beginning until none arrives for {@code quiet}. */
  public List<ConsumerRecord<String, byte[]>> readAll(String topic, int atLeast, Duration quiet) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    List<ConsumerRecord<String, byte[]>> out = new ArrayList<>();
    try (KafkaConsumer<String, byte[]> consumer =
        new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer())) {
      // Assigned, not subscribed: no consumer-group join, so reading starts at once.
      List<TopicPartition> partitions = partitionsOf(consumer, topic);
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Instant deadline = Instant.now().plusSeconds(30);
      Instant lastRecord = Instant.now();
      while (Instant.now().isBefore(deadline)) {
        var records = consumer.poll(Duration.ofMillis(200));
        records.forEach(out::add);
        if (!records.isEmpty()) {
          lastRecord = Instant.now();
        } else if (out.size() >= atLeast && Instant.now().isAfter(lastRecord.plus(quiet))) {
          break;
        }
      }
    }
    return out;
  }

  private static List<TopicPartition> partitionsOf(KafkaConsumer<?, ?> consumer, String topic) {
    Instant deadline = Instant.now().plusSeconds(30);
    while (Instant.now().isBefore(deadline)) {
      List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(5));
      if (infos != null && !infos.isEmpty()) {
        return infos.stream().map(i -> new TopicPartition(topic, i.partition())).toList();
      }
    }
    throw new IllegalStateException("topic " + topic + " never appeared");
  }

  public List<Post> readPosts(String topic, int atLeast) {
    return readAll(topic, atLeast, Duration.ofSeconds(1)).stream()
        .map(r -> EventJson.read(r.value(), Post.class)).toList();
  }

  @Override
  public void close() throws Exception {
    broker.close();
  }
}
