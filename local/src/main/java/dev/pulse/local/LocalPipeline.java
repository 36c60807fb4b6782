package dev.pulse.local;

import dev.pulse.event.ScoredPost;
import dev.pulse.stream.StreamEngine;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Kafka loop around the stream core for the local run: feed topic → {@link StreamEngine} (the Spark job's steps:
 * parse, clean, dedup, score and embed, windows, alert rules) → scored, dead-letter, aggregates and alerts topics,
 * keyed as the job keys them. Only the transport differs from the job; what is computed is the same code.
 */
final class LocalPipeline implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LocalPipeline.class);

  private final KafkaConsumer<String, byte[]> consumer;
  private final KafkaProducer<String, byte[]> producer;
  private final StreamEngine engine;
  private final List<String> feedTopics;
  private final Thread thread;
  private final AtomicLong scored = new AtomicLong();
  private final AtomicLong alerts = new AtomicLong();
  private final ScoreSpans spans = new ScoreSpans(LocalRun.PIPELINE);
  private volatile boolean running = true;

  LocalPipeline(String bootstrapServers, List<String> feedTopics, StreamEngine engine) {
    this.engine = engine;
    this.feedTopics = feedTopics;
    Properties c = new Properties();
    c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    c.put(ConsumerConfig.GROUP_ID_CONFIG, "pulse-local-" + UUID.randomUUID());
    c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    // The ingester writes each poll in a transaction: an aborted batch is re-sent, so only committed ones count.
    c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    c.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "256");
    c.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "50");
    this.consumer = new KafkaConsumer<>(c, new StringDeserializer(), new ByteArrayDeserializer());
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    p.put(ProducerConfig.LINGER_MS_CONFIG, "0");
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    this.producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
    this.thread = new Thread(this::run, "pulse-local-pipeline");
    thread.setDaemon(true);
  }

  void start() {
    consumer.subscribe(feedTopics);
    thread.start();
  }

  long scoredCount() {
    return scored.get();
  }

  long alertCount() {
    return alerts.get();
  }

  private void run() {
    try {
      while (running) {
        List<StreamEngine.Record> batch = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(100))) {
          batch.add(new StreamEngine.Record(r.value(), r.topic(), r.partition(), r.offset(), r.timestamp()));
          spans.read(r);
        }
        // Without new records the loop still publishes the LLM verdicts that came back (escalation is off the loop).
        if (batch.isEmpty() && !engine.awaitingVerdicts()) continue;
        StreamEngine.Output out = engine.process(batch);
        Map<String, ScoredPost> scoredById = new HashMap<>();
        out.scored().forEach(s -> scoredById.put(s.post().id(), s));
        for (StreamEngine.Out o : out.records()) {
          ProducerRecord<String, byte[]> record = new ProducerRecord<>(o.topic(), o.key(), o.value());
          spans.writing(record, scoredById);
          producer.send(record);
        }
        producer.flush();
        spans.written(out.scored());
        scored.addAndGet(out.scored().size());
        alerts.addAndGet(out.alerts().size());
      }
    } catch (WakeupException e) {
      // stopping
    } catch (RuntimeException e) {
      LOG.error("local pipeline stopped: {}", e.toString(), e);
    } finally {
      consumer.close(Duration.ofSeconds(2));
      producer.close(Duration.ofSeconds(2));
      engine.close();
      spans.close();
    }
  }

  @Override
  public void close() throws InterruptedException {
    running = false;
    consumer.wakeup();
    thread.join(5_000);
  }
}
