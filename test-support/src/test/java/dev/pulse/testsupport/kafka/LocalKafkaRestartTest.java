package dev.pulse.testsupport.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Properties;
import java.util.stream.IntStream;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/** The broker restarts on the same port with its data: what the fault suite's broker-restart test stands on. */
class LocalKafkaRestartTest {
  @Test
  void aRestartedBrokerKeepsItsPortAndItsRecords() throws Exception {
    try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
      String bootstrap = kafka.bootstrapServers();
      kafka.createTopic("restart", 3);
      send(bootstrap, 0, 100);

      kafka.broker().stopBroker();
      kafka.broker().startBroker();

      assertThat(kafka.bootstrapServers()).isEqualTo(bootstrap);
      send(bootstrap, 100, 200);
      assertThat(kafka.readAll("restart", 200, Duration.ofSeconds(1))).extracting(r -> r.key())
          .containsExactlyInAnyOrderElementsOf(IntStream.range(0, 200).mapToObj(i -> "k" + i).toList());
    }
  }

  private static void send(String bootstrap, int from, int to) throws Exception {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    try (KafkaProducer<String, byte[]> producer =
        new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer())) {
      for (int i = from; i < to; i++) {
        producer.send(new ProducerRecord<>("restart", "k" + i, new byte[] {1})).get();
      }
    }
  }
}
