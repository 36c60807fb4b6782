package dev.pulse.ingest;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pulse.event.EventJson;
import dev.pulse.event.Post;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Produces posts to the feed's topic, keyed by post id (so one post always lands in one partition), acks=all, one
 * Kafka transaction per batch: the batch's last record carries the cursor after the batch ({@link CursorHeader}),
 * so the posts and the cursor commit together, as Kafka Connect's exactly-once sources store their offsets. The
 * ingester's checkpoint file lives in an emptyDir and is gone whenever the pod is recreated; the cursor on the
 * topic is not ({@link #recoverCursor}).
 *
 * <p>The transactional id is stable per topic (one ingester writes a feed's topic): a new pod's
 * {@code initTransactions} aborts the transaction its killed predecessor left open and fences that predecessor if it
 * is still alive, so a half-sent batch is never visible to read_committed readers, and it is sent again in full.
 */
public final class KafkaPostSink implements PostSink {
  private final String topic;
  private final Properties properties;
  private final KafkaCursorReader cursors;
  private KafkaProducer<String, byte[]> producer;
  private long seq;
  private boolean seqKnown;

  public KafkaPostSink(String bootstrapServers, String topic, String clientId, Map<String, String> extra) {
    this.topic = topic;
    this.properties = properties(bootstrapServers, clientId, transactionalId(topic), extra);
    this.cursors = new KafkaCursorReader(bootstrapServers, topic, extra);
  }

  static String transactionalId(String topic) {
    return "pulse-ingest:" + topic;
  }

  static Properties properties(String bootstrapServers, String clientId, String transactionalId,
      Map<String, String> extra) {
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
    p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
    return p;
  }

  /** Starts the producer once: initTransactions aborts what a predecessor with this id left open. */
  private KafkaProducer<String, byte[]> producer() {
    if (producer == null) {
      KafkaProducer<String, byte[]> p = new KafkaProducer<>(properties, new StringSerializer(),
          new ByteArraySerializer());
      try {
        p.initTransactions();
      } catch (RuntimeException e) {
        p.close(Duration.ZERO);
        throw e;
      }
      producer = p;
    }
    return producer;
  }

  @Override
  public Optional<StoredCursor> recoverCursor() throws Exception {
    producer(); // first, so that a predecessor's open transaction is aborted and the tail is stable
    Optional<CursorHeader.Value> newest = cursors.newest();
    seq = newest.map(CursorHeader.Value::seq).orElse(0L);
    seqKnown = true;
    return newest.map(v -> new StoredCursor(v.seq(), v.cursor()));
  }

  @Override
  public long lastSeq() {
    return seq;
  }

  @Override
  public void send(List<Post> posts, ObjectNode cursorAfter) throws Exception {
    if (!seqKnown) {
      recoverCursor();
    }
    KafkaProducer<String, byte[]> p = producer();
    try {
      p.beginTransaction();
      List<Future<RecordMetadata>> acks = new ArrayList<>(posts.size());
      for (int i = 0; i < posts.size(); i++) {
        Post post = posts.get(i);
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(topic, post.id(), EventJson.toBytes(post));
        if (i == posts.size() - 1) {
          record.headers().add(CursorHeader.NAME, CursorHeader.encode(seq + 1, cursorAfter));
        }
        acks.add(p.send(record));
      }
      p.flush();
      for (Future<RecordMetadata> ack : acks) {
        ack.get();
      }
      p.commitTransaction();
      seq++;
    } catch (ProducerFencedException e) {
      closeProducer();
      throw new SinkFencedException("a newer ingester for topic " + topic + " took over (fenced)", e);
    } catch (Exception e) {
      abortOrReset(e);
      throw e;
    }
  }

  /** Aborts the failed batch (nothing of it becomes visible); a producer in a fatal state is replaced. */
  private void abortOrReset(Exception cause) {
    try {
      producer.abortTransaction();
    } catch (ProducerFencedException e) {
      closeProducer();
      throw new SinkFencedException("a newer ingester for topic " + topic + " took over (fenced)", e);
    } catch (KafkaException | IllegalStateException e) {
      cause.addSuppressed(e);
      closeProducer(); // the next batch starts a new producer; its initTransactions aborts what is left open
    }
  }

  private void closeProducer() {
    if (producer != null) {
      producer.close(Duration.ZERO);
      producer = null;
    }
  }

  @Override
  public void close() {
    if (producer != null) {
      producer.close(Duration.ofSeconds(10));
    }
  }
}
