package dev.pulse.dashboard.labelled;

import dev.pulse.contract.KafkaClientEnv;
import dev.pulse.dashboard.config.DashboardProperties;
import dev.pulse.event.LabelledExamples;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * Writes analysts' corrections to the pipeline's labelled topic ({@link LabelledExamples}, beside the scored topic the
 * dashboard reads). The producer starts on the first correction, so a dashboard nobody corrects never connects.
 */
@Component
public class LabelledTopicWriter implements AutoCloseable {
  private final String bootstrapServers;
  private final Map<String, String> security;
  private final String topic;
  private KafkaProducer<String, byte[]> producer;

  /** TLS/SASL from the PULSE_KAFKA_* variables the operator sets ({@link KafkaClientEnv}); none: PLAINTEXT. */
  @Autowired
  public LabelledTopicWriter(DashboardProperties props) {
    this(props.kafka().bootstrapServers(), KafkaClientEnv.clientProperties(System::getenv),
        LabelledExamples.topicFor(props.scoredTopic()));
  }

  /** {@code security}: Kafka client settings ({@link KafkaClientEnv#clientProperties}); empty = PLAINTEXT. */
  public LabelledTopicWriter(String bootstrapServers, Map<String, String> security, String topic) {
    this.bootstrapServers = bootstrapServers;
    this.security = Map.copyOf(security);
    this.topic = topic;
  }

  public String topic() {
    return topic;
  }

  /** Writes one record and waits for the broker's acknowledgement (the analyst is told whether it was kept). */
  public synchronized void write(String postId, byte[] value, Duration timeout) throws Exception {
    if (producer == null) {
      Properties p = new Properties();
      p.putAll(security);
      p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
      p.put(ProducerConfig.ACKS_CONFIG, "all");
      p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, String.valueOf(timeout.toMillis()));
      p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, String.valueOf(Math.max(timeout.toMillis(), 1_000)));
      p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, String.valueOf(Math.min(timeout.toMillis(), 1_000)));
      producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
    }
    producer.send(new ProducerRecord<>(topic, postId, value)).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  @Override
  public synchronized void close() {
    if (producer != null) producer.close(Duration.ofSeconds(2));
  }
}
