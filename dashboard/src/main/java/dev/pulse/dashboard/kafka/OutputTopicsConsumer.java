package dev.pulse.dashboard.kafka;

import dev.pulse.contract.KafkaClientEnv;
import dev.pulse.event.Aggregate;
import dev.pulse.event.Alert;
import dev.pulse.event.EventJson;
import dev.pulse.event.Parsed;
import dev.pulse.event.ScoredPost;
import io.micrometer.core.instrument.Counter;
import dev.pulse.tracing.PulseTracing;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.trace.Span;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.TopicPartition;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import dev.pulse.dashboard.status.FeedHealth;

/**
 * Reads the pipeline's scored-posts, aggregates and alerts topics on one thread and hands each valid record to the
 * listener. Every replica reads everything (its own consumer group, no commits): the dashboard rebuilds its
 * history from the topics on start, from the configured look-back on. A record that is not valid in the event schema is counted and logged, never fatal.
 */
public final class OutputTopicsConsumer implements SmartLifecycle, FeedHealth.Source {
  private static final Logger LOG = LoggerFactory.getLogger(OutputTopicsConsumer.class);

  private final String bootstrapServers;
  private final Map<String, String> security;
  private final String scoredTopic;
  private final String aggregatesTopic;
  private final String alertsTopic;
  private final boolean fromBeginning;
  private final Duration lookback;
  private final Clock clock;
  private final Set<TopicPartition> positioned = ConcurrentHashMap.newKeySet();
  private final PipelineListener listener;
  private final MeterRegistry registry;
  private volatile KafkaConsumer<String, byte[]> consumer;
  private volatile KafkaClientMetrics kafkaMetrics;
  private final PulseTracing tracing = PulseTracing.forService("pulse-dashboard");
  private volatile Thread thread;
  private volatile boolean running;
  /** When the broker last answered a metadata request (epoch ms; 0 = never), and why the thread ended, if it did. */
  private volatile long lastContact;
  private volatile long startedAt;
  private volatile String stoppedBy;
  private final Duration staleAfter;
  private static final Duration PROBE_EVERY = Duration.ofSeconds(10);

  /**
   * A consumer whose TLS/SASL settings come from the PULSE_KAFKA_* variables the operator sets from the pipeline's
   * spec.kafka.security ({@link KafkaClientEnv}); none set: PLAINTEXT.
   */
  public OutputTopicsConsumer(String bootstrapServers, String scoredTopic, String aggregatesTopic, String alertsTopic,
      boolean fromBeginning, Duration lookback, Clock clock, PipelineListener listener, MeterRegistry registry,
      Duration staleAfter) {
    this(bootstrapServers, KafkaClientEnv.clientProperties(System::getenv), scoredTopic, aggregatesTopic, alertsTopic,
        fromBeginning, lookback, clock, listener, registry, staleAfter);
  }

  /** {@code security}: Kafka client settings ({@link KafkaClientEnv#clientProperties}); empty = PLAINTEXT. */
  public OutputTopicsConsumer(String bootstrapServers, Map<String, String> security, String scoredTopic,
      String aggregatesTopic, String alertsTopic, boolean fromBeginning, Duration lookback, Clock clock,
      PipelineListener listener, MeterRegistry registry, Duration staleAfter) {
    this.security = Map.copyOf(security);
    this.staleAfter = staleAfter;
    this.lookback = lookback;
    this.clock = clock;
    this.bootstrapServers = bootstrapServers;
    this.scoredTopic = scoredTopic;
    this.aggregatesTopic = aggregatesTopic;
    this.alertsTopic = alertsTopic;
    this.fromBeginning = fromBeginning;
    this.listener = listener;
    this.registry = registry;
  }

  @Override
  public void start() {
    Properties p = new Properties();
    p.putAll(security); // TLS/SASL; the password only in sasl.jaas.config, which Kafka logs as [hidden]
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    p.put(ConsumerConfig.GROUP_ID_CONFIG, "pulse-dashboard-" + UUID.randomUUID());
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, fromBeginning ? "earliest" : "latest");
    // Topics the pipeline has not created yet are picked up within seconds, not the default five minutes.
    p.put(ConsumerConfig.METADATA_MAX_AGE_CONFIG, "2000");
    p.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "100");
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    consumer = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer());
    // The consumer's lag per partition (kafka_consumer_fetch_manager_records_lag) beside the dashboard's own meters.
    kafkaMetrics = new KafkaClientMetrics(consumer);
    kafkaMetrics.bindTo(registry);
    consumer.subscribe(List.of(scoredTopic, aggregatesTopic, alertsTopic), new ConsumerRebalanceListener() {
      @Override
      public void onPartitionsRevoked(Collection<TopicPartition> partitions) {}

      @Override
      public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
        startAtLookback(partitions);
      }
    });
    running = true;
    startedAt = clock.millis();
    thread = new Thread(this::run, "pulse-dashboard-consumer");
    thread.setDaemon(true);
    thread.start();
    LOG.info("consuming {}, {} and {} from {}", scoredTopic, aggregatesTopic, alertsTopic, bootstrapServers);
  }

  /**
   * Each partition, the first time it is assigned, starts at the first record written within the look-back (by
   * record timestamp), so a restarted dashboard rebuilds its history over exactly that period; a partition with no
   * record that recent starts at its end. Later assignments (a rebalance) carry on where the consumer was.
   */
  private void startAtLookback(Collection<TopicPartition> partitions) {
    if (!fromBeginning || lookback == null || lookback.isZero()) {
      return;
    }
    Map<TopicPartition, Long> since = new HashMap<>();
    for (TopicPartition tp : partitions) {
      if (positioned.add(tp)) {
        since.put(tp, clock.millis() - lookback.toMillis());
      }
    }
    if (since.isEmpty()) {
      return;
    }
    Map<TopicPartition, OffsetAndTimestamp> found = consumer.offsetsForTimes(since);
    List<TopicPartition> toEnd = new ArrayList<>();
    since.keySet().forEach(tp -> {
      OffsetAndTimestamp at = found.get(tp);
      if (at != null) {
        consumer.seek(tp, at.offset());
      } else {
        toEnd.add(tp);
      }
    });
    if (!toEnd.isEmpty()) {
      consumer.seekToEnd(toEnd);
    }
    LOG.info("reading {} partitions from {} ago", since.size(), lookback);
  }

  private void run() {
    Map<String, Counter> consumed = Map.of(
        scoredTopic, counter("consumed", scoredTopic), aggregatesTopic, counter("consumed", aggregatesTopic),
        alertsTopic, counter("consumed", alertsTopic));
    Map<String, Counter> invalid = Map.of(
        scoredTopic, counter("invalid", scoredTopic), aggregatesTopic, counter("invalid", aggregatesTopic),
        alertsTopic, counter("invalid", alertsTopic));
    long nextProbe = 0;
    try {
      while (running) {
        if (System.nanoTime() - nextProbe >= 0) {
          probe();
          nextProbe = System.nanoTime() + PROBE_EVERY.toNanos();
        }
        for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
          try {
            if (dispatch(r)) {
              consumed.get(r.topic()).increment();
            } else {
              invalid.get(r.topic()).increment();
            }
          } catch (RuntimeException e) {
            invalid.get(r.topic()).increment();
            LOG.warn("{}-{}@{}: listener failed: {}", r.topic(), r.partition(), r.offset(), e.toString());
          }
        }
      }
    } catch (WakeupException e) {
      // stopping
    } catch (RuntimeException | Error e) {
      stoppedBy = e.toString();
      LOG.error("consumer stopped: {}", e.toString());
      throw e;
    } finally {
      kafkaMetrics.close();
      tracing.close();
      consumer.close(Duration.ofSeconds(2));
    }
  }

  /**
   * A poll that returns nothing looks the same whether the topics are idle or the broker is gone, so the thread asks
   * for the topic list now and then: an answer means Kafka is reachable ({@link #health}).
   */
  private void probe() {
    try {
      consumer.listTopics(Duration.ofSeconds(5));
      lastContact = clock.millis();
    } catch (org.apache.kafka.common.errors.TimeoutException e) {
      LOG.warn("Kafka at {} did not answer a metadata request within 5 s", bootstrapServers);
    }
  }

  /** What the health endpoint and the page's badge say about the feed of data. */
  @Override
  public FeedHealth feedHealth() {
    Thread t = thread;
    if (t == null) {
      return new FeedHealth(FeedHealth.State.STARTING, "not started");
    }
    if (!t.isAlive() && running) {
      return new FeedHealth(FeedHealth.State.DOWN, "the Kafka consumer thread stopped"
          + (stoppedBy == null ? "" : ": " + stoppedBy) + "; the page no longer updates");
    }
    long now = clock.millis();
    long since = lastContact == 0 ? startedAt : lastContact;
    if (now - since > staleAfter.toMillis()) {
      return new FeedHealth(FeedHealth.State.OUT_OF_SERVICE, "Kafka at " + bootstrapServers + " has not answered for "
          + (now - since) / 1000 + " s" + (lastContact == 0 ? " (not since the start)" : "")
          + "; the page shows what was read before");
    }
    return lastContact == 0
        ? new FeedHealth(FeedHealth.State.STARTING, "connecting to Kafka at " + bootstrapServers)
        : new FeedHealth(FeedHealth.State.UP, "reading from Kafka at " + bootstrapServers);
  }

  private boolean dispatch(ConsumerRecord<String, byte[]> r) {
    if (r.topic().equals(scoredTopic)) {
      // The last stage of a traced post: held by the dashboard and pushed to the browsers.
      Span span = tracing.enabled() && r.headers().lastHeader("traceparent") != null
          ? tracing.start("dashboard push", r.headers(), null, null, null) : null;
      try {
        return handle(r, EventJson.parseScoredPost(r.value()), listener::onScoredPost);
      } finally {
        if (span != null) span.end();
      }
    } else if (r.topic().equals(aggregatesTopic)) {
      return handle(r, EventJson.parseAggregate(r.value()), listener::onAggregate);
    } else {
      return handle(r, EventJson.parseAlert(r.value()), listener::onAlert);
    }
  }

  private static <T> boolean handle(ConsumerRecord<String, byte[]> r, Parsed<T> parsed,
      java.util.function.Consumer<T> to) {
    if (parsed instanceof Parsed.Valid<T> valid) {
      to.accept(valid.value());
      return true;
    }
    LOG.warn("{}-{}@{}: not a valid record, skipped: {}", r.topic(), r.partition(), r.offset(),
        ((Parsed.Invalid<T>) parsed).reason());
    return false;
  }

  private Counter counter(String what, String topic) {
    return Counter.builder("pulse.dashboard.records." + what).tag("topic", topic)
        .description("records read from the pipeline's output topics").register(registry);
  }

  @Override
  public void stop() {
    running = false;
    KafkaConsumer<String, byte[]> c = consumer;
    if (c != null) {
      c.wakeup();
    }
    Thread t = thread;
    if (t != null) {
      try {
        t.join(5_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  @Override
  public boolean isRunning() {
    return running;
  }
}
