package dev.pulse.dashboard.local;

import dev.pulse.event.Alert;
import dev.pulse.event.EventJson;
import dev.pulse.event.Parsed;
import dev.pulse.event.Post;
import dev.pulse.event.ScoredPost;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
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
 * The pipeline between the feed topic and the output topics, in this JVM: read posts → score (and embed) → scored
 * topic; windows → aggregates topic; the crisis rule → alerts topic. What the Spark job does in a cluster, small.
 */
final class LocalPipeline implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LocalPipeline.class);

  private final KafkaConsumer<String, byte[]> consumer;
  private final KafkaProducer<String, byte[]> producer;
  private final PostScorer scorer;
  private final WindowAggregator windows;
  private final CrisisRule rule;
  private final Topics topics;
  private final List<String> crisisWords;
  private final Clock clock;
  private final Thread thread;
  private final AtomicLong scored = new AtomicLong();
  private final AtomicLong alerts = new AtomicLong();
  private volatile boolean running = true;

  record Topics(String feed, String scored, String aggregates, String alerts) {}

  LocalPipeline(String bootstrapServers, Topics topics, PostScorer scorer, WindowAggregator windows, CrisisRule rule,
      List<String> crisisWords, Clock clock) {
    this.topics = topics;
    this.scorer = scorer;
    this.windows = windows;
    this.rule = rule;
    this.crisisWords = crisisWords;
    this.clock = clock;
    Properties c = new Properties();
    c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    c.put(ConsumerConfig.GROUP_ID_CONFIG, "pulse-local-" + UUID.randomUUID());
    c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
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
    consumer.subscribe(List.of(topics.feed()));
    thread.start();
  }

  long scoredCount() {
    return scored.get();
  }

  long alertCount() {
    return alerts.get();
  }

  private void run() {
    Predicate<ScoredPost> crisisWord = p -> {
      String t = p.post().text().toLowerCase(Locale.ROOT);
      return crisisWords.stream().anyMatch(t::contains);
    };
    try {
      while (running) {
        List<Post> batch = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(100))) {
          Parsed<Post> parsed = EventJson.parsePost(r.value());
          if (parsed instanceof Parsed.Valid<Post> v) {
            batch.add(v.value());
          } else {
            LOG.warn("feed record {}@{} is not a valid post: {}", r.partition(), r.offset(),
                ((Parsed.Invalid<Post>) parsed).reason());
          }
        }
        if (!batch.isEmpty()) {
          for (ScoredPost s : scorer.score(batch)) {
            producer.send(new ProducerRecord<>(topics.scored(), s.post().id(), EventJson.toBytes(s)));
            windows.add(s);
          }
          producer.flush();
          scored.addAndGet(batch.size());
        }
        for (var w : windows.close(clock.instant(), Duration.ofMillis(500))) {
          for (var a : w.rows()) {
            producer.send(new ProducerRecord<>(topics.aggregates(), a.source() + "|" + a.geoCell(),
                EventJson.toBytes(a)));
          }
          for (Alert alert : rule.evaluate(w, clock.instant(), crisisWord)) {
            producer.send(new ProducerRecord<>(topics.alerts(), alert.kind().name(), EventJson.toBytes(alert)));
            alerts.incrementAndGet();
          }
          producer.flush();
        }
      }
    } catch (WakeupException e) {
      // stopping
    } catch (RuntimeException e) {
      LOG.error("local pipeline stopped: {}", e.toString(), e);
    } finally {
      consumer.close(Duration.ofSeconds(2));
      producer.close(Duration.ofSeconds(2));
    }
  }

  @Override
  public void close() throws InterruptedException {
    running = false;
    consumer.wakeup();
    thread.join(5_000);
  }
}
