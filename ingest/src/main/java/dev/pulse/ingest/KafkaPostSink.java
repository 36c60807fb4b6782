package dev.pulse.ingest;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pulse.event.EventJson;
import dev.pulse.event.Post;
import dev.pulse.tracing.PulseTracing;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.RecordTooLargeException;
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
 *
 * <p>One bad record never blocks its batch. A post whose record is over the producer's {@code max.request.size}
 * is not sent (Kafka would fail the whole transaction, and the next poll would fail the same way forever): it goes to
 * the dead-letter topic with its reason and a bounded copy of its bytes ({@link DeadLetters}). A post the broker
 * refuses as too large (the topic's {@code max.message.bytes} is lower than the producer's limit) fails the
 * transaction; it is aborted, the post is dead-lettered and the rest of the batch is sent again in a new
 * transaction. What the aborted attempt had written is never visible to read_committed readers (the Spark job, the
 * dashboard, {@code ./pulse local}), so those posts arrive exactly once; a read_uncommitted reader would see them
 * twice. Dead letters are written in the same transaction as the batch and its cursor.
 */
public final class KafkaPostSink implements PostSink {
  /** Bytes a record takes beyond its key, value and headers (Kafka's record-batch header and record framing). */
  static final int RECORD_OVERHEAD = 128;
  private static final int MAX_RESENDS = 5;

  private final String topic;
  private final String deadLetterTopic;
  private final String feed;
  private final PulseTracing tracing = PulseTracing.forService("pulse-ingester");
  private final Properties properties;
  private final KafkaCursorReader cursors;
  private final int maxRecordBytes;
  private KafkaProducer<String, byte[]> producer;
  private long seq;
  private boolean seqKnown;

  public KafkaPostSink(String bootstrapServers, String topic, String clientId, Map<String, String> extra) {
    this(bootstrapServers, topic, null, clientId, null, extra);
  }

  /**
   * @param deadLetterTopic where rejected items go, or null to only return them (they are then logged and counted)
   * @param feed the SourceFeed's name, stamped into dead letters' errors
   * @param extra producer settings (the config's, and the connection's security settings)
   */
  public KafkaPostSink(String bootstrapServers, String topic, String deadLetterTopic, String clientId, String feed,
      Map<String, String> extra) {
    this.topic = topic;
    this.deadLetterTopic = deadLetterTopic;
    this.feed = feed == null ? clientId : feed;
    this.properties = properties(bootstrapServers, clientId, transactionalId(topic), extra);
    this.cursors = new KafkaCursorReader(bootstrapServers, topic, extra);
    this.maxRecordBytes = maxRecordBytes(properties);
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

  /** The largest record the producer accepts: max.request.size, and never more than buffer.memory. */
  static int maxRecordBytes(Properties p) {
    long request = Long.parseLong(p.getProperty(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, "1048576").trim());
    long buffer = Long.parseLong(p.getProperty(ProducerConfig.BUFFER_MEMORY_CONFIG, "33554432").trim());
    return (int) Math.min(Integer.MAX_VALUE, Math.min(request, buffer));
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

  private record Encoded(Post post, byte[] value) {}

  @Override
  public Delivery send(List<Post> posts, List<Rejected> rejected, ObjectNode cursorAfter) throws Exception {
    if (!seqKnown) {
      recoverCursor();
    }
    List<Rejected> dead = new ArrayList<>(rejected);
    List<Encoded> records = new ArrayList<>(posts.size());
    for (Post post : posts) {
      byte[] value = EventJson.toBytes(post);
      int size = recordSize(post.id(), value, 0);
      if (size > maxRecordBytes) {
        dead.add(tooLarge(post, value, "its record is " + size + " bytes, over the producer's max.request.size "
            + maxRecordBytes));
      } else {
        records.add(new Encoded(post, value));
      }
    }
    for (int attempt = 0; ; attempt++) {
      List<Integer> refused = sendOnce(records, dead, cursorAfter);
      if (refused.isEmpty()) {
        return new Delivery(records.size(), dead, deadLetterTopic != null);
      }
      // The broker refused these as too large: the transaction was aborted; send the rest again without them.
      for (int i = refused.size() - 1; i >= 0; i--) {
        Encoded gone = records.remove((int) refused.get(i));
        dead.add(tooLarge(gone.post(), gone.value(), "the broker refused its record of "
            + recordSize(gone.post().id(), gone.value(), 0) + " bytes as too large (the topic's max.message.bytes)"));
      }
      if (attempt + 1 >= MAX_RESENDS) {
        throw new IllegalStateException("the broker kept refusing records of topic " + topic + " as too large");
      }
    }
  }

  private static Rejected tooLarge(Post post, byte[] value, String reason) {
    return new Rejected("post " + post.id(), post.id(), value, reason, Rejected.TOO_LARGE);
  }

  private static int recordSize(String key, byte[] value, int headers) {
    return RECORD_OVERHEAD + (key == null ? 0 : key.length() * 3) + value.length + headers;
  }

  /**
   * One transaction: the posts (the last with the cursor header) and the dead letters. Returns the indexes of posts
   * the broker refused as too large (the transaction was then aborted), empty once committed.
   */
  private List<Integer> sendOnce(List<Encoded> records, List<Rejected> dead, ObjectNode cursorAfter)
      throws Exception {
    boolean writeDead = deadLetterTopic != null && !dead.isEmpty();
    if (records.isEmpty() && !writeDead) {
      return List.of();
    }
    KafkaProducer<String, byte[]> p = producer();
    try {
      p.beginTransaction();
      List<Future<RecordMetadata>> acks = new ArrayList<>(records.size());
      for (int i = 0; i < records.size(); i++) {
        Encoded encoded = records.get(i);
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(topic, encoded.post().id(), encoded.value());
        if (tracing.enabled()) { // the trace of this post starts here (W3C traceparent in the record's headers)
          io.opentelemetry.api.trace.Span span = tracing.start("ingest", null, null, feed,
              encoded.post().source() == null ? null : encoded.post().source().name());
          PulseTracing.inject(span, record.headers());
          span.end();
        }
        if (i == records.size() - 1) {
          record.headers().add(CursorHeader.NAME, CursorHeader.encode(seq + 1, cursorAfter));
        }
        acks.add(p.send(record));
      }
      List<Future<RecordMetadata>> deadAcks = new ArrayList<>();
      if (writeDead) {
        java.time.Instant now = java.time.Instant.now();
        for (Rejected item : dead) {
          ProducerRecord<String, byte[]> record = new ProducerRecord<>(deadLetterTopic, item.key(),
              DeadLetters.encode(item, feed, topic, now));
          record.headers().add("pulse-reason", item.kind().getBytes(java.nio.charset.StandardCharsets.UTF_8));
          deadAcks.add(p.send(record));
        }
      }
      p.flush();
      List<Integer> refused = new ArrayList<>();
      Exception other = null;
      for (int i = 0; i < acks.size(); i++) {
        try {
          acks.get(i).get();
        } catch (ExecutionException e) {
          if (e.getCause() instanceof RecordTooLargeException) {
            refused.add(i);
          } else if (other == null) {
            other = e;
          }
        }
      }
      if (!refused.isEmpty()) {
        // Other records failing now are collateral: the transaction cannot commit once one record failed.
        abortOrReset(new IllegalStateException("records too large"));
        return refused;
      }
      if (other != null) {
        throw other;
      }
      for (Future<RecordMetadata> ack : deadAcks) {
        ack.get();
      }
      p.commitTransaction();
      if (!records.isEmpty()) {
        seq++;
      }
      return List.of();
    } catch (ProducerFencedException e) {
      closeProducer();
      throw new SinkFencedException("a newer ingester for topic " + topic + " took over (fenced)", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof ProducerFencedException fenced) {
        closeProducer();
        throw new SinkFencedException("a newer ingester for topic " + topic + " took over (fenced)", fenced);
      }
      abortOrReset(e);
      throw e;
    } catch (Exception e) {
      abortOrReset(e);
      throw e;
    }
  }

  /** Aborts the failed batch (nothing of it becomes visible); a producer in a fatal state is replaced. */
  private void abortOrReset(Exception cause) {
    if (producer == null) {
      return;
    }
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
    tracing.close(); // sends the spans still buffered
  }
}
