package dev.pulse.dashboard;

import dev.pulse.testsupport.kafka.KafkaTopics;
import dev.pulse.testsupport.kafka.LocalKafka;
import dev.pulse.event.EventJson;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** One real KRaft broker for the whole test JVM, and a producer that returns once Kafka acknowledged a record. */
public final class KafkaTestSupport {
  public static final String PIPELINE = "northwind";
  public static final String SCORED = "pulse.pipeline.test.northwind.scored";
  public static final String AGGREGATES = "pulse.pipeline.test.northwind.aggregates";
  public static final String ALERTS = "pulse.pipeline.test.northwind.alerts";

  private static LocalKafka broker;
  private static KafkaProducer<String, byte[]> producer;

  private KafkaTestSupport() {}

  public static synchronized LocalKafka broker() {
    if (broker == null) {
      try {
        broker = LocalKafka.start();
        KafkaTopics.ensure(broker.bootstrapServers(), List.of(SCORED, AGGREGATES, ALERTS), 1);
      } catch (Exception e) {
        throw new IllegalStateException("cannot start the embedded Kafka broker", e);
      }
      // Not closed at exit on purpose: surefire ends the JVM with System.exit once the tests are done, and a broker
      // shutting down concurrently with the Spring contexts made the fork end with a non-zero code now and then.
      // The kit's hook that deletes the broker's directory under it is covered by LocalKafka.keepExitClean.
    }
    return broker;
  }

  /** Sends one record (as the pipeline would) and waits for the broker's acknowledgement. */
  public static void send(String topic, String key, Object record) {
    sendAt(topic, key, record, null);
  }

  /** Sends one record with the given Kafka timestamp (null: now), waiting for the acknowledgement. */
  public static synchronized void sendAt(String topic, String key, Object record, Long timestamp) {
    if (producer == null) {
      Properties p = new Properties();
      p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker().bootstrapServers());
      p.put(ProducerConfig.LINGER_MS_CONFIG, "0");
      producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
    }
    try {
      producer.send(new ProducerRecord<>(topic, null, timestamp, key,
          record instanceof byte[] b ? b : EventJson.toBytes(record))).get();
    } catch (Exception e) {
      throw new IllegalStateException("cannot send to " + topic, e);
    }
  }
}
