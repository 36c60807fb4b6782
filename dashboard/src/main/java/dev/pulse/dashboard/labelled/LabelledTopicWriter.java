package dev.pulse.dashboard.labelled;

import dev.pulse.dashboard.config.DashboardProperties;
import dev.pulse.event.LabelledExamples;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.springframework.stereotype.Component;

/**
 * Writes analysts' corrections to the pipeline's labelled topic ({@link LabelledExamples}, beside the scored topic the
 * dashboard reads). The producer starts on the first correction, so a dashboard nobody corrects never connects.
 */
@Component
public class LabelledTopicWriter implements AutoCloseable {
  private final String bootstrapServers;
  private final String topic;
  private KafkaProducer<String, byte[]> producer;

  public LabelledTopicWriter(DashboardProperties props) {
    this.bootstrapServers = props.kafka().bootstrapServers();
    this.topic = LabelledExamples.topicFor(props.scoredTopic());
  }

  public String topic() {
    return topic;
  }

  /** Writes one record and waits for the broker's acknowledgement (the analyst is told whether it was kept). */
  public synchronized void write(String postId, byte[] value, Duration timeout) throws Exception {
    if (producer == null) {
      Properties p = new Properties();
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
