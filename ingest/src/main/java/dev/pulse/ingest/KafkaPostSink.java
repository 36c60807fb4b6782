package dev.pulse.ingest;

import dev.pulse.event.EventJson;
import dev.pulse.event.Post;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Produces posts to the feed's topic, keyed by post id (so one post always lands in one partition), with an
 * idempotent producer and acks=all: a batch counts as sent only when every record is on all in-sync replicas.
 */
public final class KafkaPostSink implements PostSink {
  private final KafkaProducer<String, byte[]> producer;
  private final String topic;

  public KafkaPostSink(String bootstrapServers, String topic, String clientId, Map<String, String> extra) {
    this.topic = topic;
    this.producer = new KafkaProducer<>(properties(bootstrapServers, clientId, extra), new StringSerializer(),
        new ByteArraySerializer());
  }

  static Properties properties(String bootstrapServers, String clientId, Map<String, String> extra) {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    p.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
    p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
    p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
    if (extra != null) {
      p.putAll(extra);
    }
    // Not overridable: the delivery guarantees the rest of the pipeline relies on.
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    return p;
  }

  @Override
  public void sendAll(List<Post> posts) throws Exception {
    List<Future<RecordMetadata>> acks = new ArrayList<>(posts.size());
    for (Post post : posts) {
      acks.add(producer.send(new ProducerRecord<>(topic, post.id(), EventJson.toBytes(post))));
    }
    producer.flush();
    for (Future<RecordMetadata> ack : acks) {
      ack.get();
    }
  }

  @Override
  public void close() {
    producer.close(Duration.ofSeconds(10));
  }
}
