package dev.pulse.stream;

import dev.pulse.stream.metrics.StreamMetrics;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.qdrant.client.grpc.Points.PointStruct;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes points to one vector collection off the scoring path: {@link #offer} only queues them (a bounded queue; when
 * it is full the points are skipped and counted), and one daemon thread upserts what has queued, in batches, behind a
 * resilience4j circuit breaker. While the store fails or hangs the breaker opens after a few failed batches, queued
 * points are skipped and counted instead of being tried, and after {@code openFor} one batch probes the store again:
 * success closes the breaker. Scoring never waits for the store; the price is that points still queued when a JVM
 * ends are lost (the vector store feeds retrieval; the scored topic stays the record).
 *
 * <p>Meters (in the JVM's stream registry): {@code pulse_vector_points_stored_total{pipeline}},
 * {@code pulse_vector_points_skipped_total{pipeline,reason}} with reason {@code breaker_open}, {@code queue_full} or
 * {@code failed}, and {@code pulse_vector_breaker_state{collection}} (0 closed, 1 open, 2 half-open).
 */
final class VectorWriter {
  private static final Logger LOG = LoggerFactory.getLogger(VectorWriter.class);

  /** Sends one batch; throws when the store refused it or did not answer in time. */
  interface Upsert {
    void send(List<PointStruct> points) throws Exception;
  }

  /** Why points were not stored (the {@code reason} tag). */
  enum Skip {
    BREAKER_OPEN, QUEUE_FULL, FAILED;

    String tag() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  private record Pending(String pipeline, PointStruct point) {}

  private static final Map<String, CircuitBreaker> BREAKERS = new ConcurrentHashMap<>();

  private final String collection;
  private final Upsert upsert;
  private final int batchSize;
  private final BlockingQueue<Pending> queue;
  private final CircuitBreaker breaker;
  private final AtomicInteger inFlight = new AtomicInteger();
  private final Map<String, Counter> counters = new ConcurrentHashMap<>();
  private final MeterRegistry registry = StreamMetrics.get().registry();

  /**
   * @param capacity points queued at most (memory stays bounded whatever the store does)
   * @param openFor how long the breaker stays open before one batch probes the store again
   */
  VectorWriter(String collection, Upsert upsert, int batchSize, int capacity, Duration openFor) {
    this.collection = collection;
    this.upsert = upsert;
    this.batchSize = batchSize;
    this.queue = new ArrayBlockingQueue<>(capacity);
    // Five batches decide: three or more failed (an error or a timeout) open it. Half-open lets one probe through.
    this.breaker = CircuitBreaker.of("qdrant " + collection, CircuitBreakerConfig.custom()
        .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
        .slidingWindowSize(5).minimumNumberOfCalls(3).failureRateThreshold(50)
        .waitDurationInOpenState(openFor).permittedNumberOfCallsInHalfOpenState(1)
        .recordExceptions(Exception.class)
        .build());
    breaker.getEventPublisher().onStateTransition(e -> LOG.warn("Qdrant collection {}: circuit breaker {}", collection,
        e.getStateTransition()));
    // One gauge per collection, reading the newest writer's breaker (a test may open several for one name).
    if (BREAKERS.put(collection, breaker) == null) {
      Gauge.builder("pulse.vector.breaker.state", BREAKERS, b -> switch (b.get(collection).getState()) {
        case OPEN, FORCED_OPEN -> 1;
        case HALF_OPEN -> 2;
        default -> 0;
      }).description("The vector store's circuit breaker: 0 closed, 1 open, 2 half-open")
          .tag("collection", collection).register(registry);
    }
    Thread drainer = new Thread(this::drain, "vector-writer-" + collection);
    drainer.setDaemon(true); // never keeps a JVM alive
    drainer.start();
  }

  /** Queues the points and returns at once; points that do not fit are skipped and counted. */
  void offer(String pipeline, List<PointStruct> points) {
    int dropped = 0;
    for (PointStruct p : points) {
      if (!queue.offer(new Pending(pipeline, p))) {
        dropped++;
      }
    }
    if (dropped > 0) {
      count(pipeline, Skip.QUEUE_FULL.tag(), "skipped", dropped);
    }
  }

  CircuitBreaker.State state() {
    return breaker.getState();
  }

  /** Waits until every queued point was sent or skipped (tests; an orderly stop). */
  boolean awaitIdle(Duration deadline) throws InterruptedException {
    long end = System.nanoTime() + deadline.toNanos();
    while (System.nanoTime() < end) {
      if (queue.isEmpty() && inFlight.get() == 0) {
        return true;
      }
      Thread.sleep(20);
    }
    return false;
  }

  private void drain() {
    List<Pending> batch = new ArrayList<>(batchSize);
    while (true) {
      try {
        Pending first = queue.poll(1, TimeUnit.SECONDS);
        if (first == null) {
          continue;
        }
        inFlight.incrementAndGet();
        batch.clear();
        batch.add(first);
        queue.drainTo(batch, batchSize - 1); // what queued while the last batch was on its way
        write(batch);
      } catch (InterruptedException e) {
        return;
      } catch (RuntimeException e) {
        LOG.warn("vector writer for {}: {}", collection, e.toString()); // never let the thread die
      } finally {
        inFlight.set(0);
      }
    }
  }

  private void write(List<Pending> batch) {
    if (!breaker.tryAcquirePermission()) {
      skipped(batch, Skip.BREAKER_OPEN);
      return;
    }
    long start = breaker.getCurrentTimestamp();
    try {
      upsert.send(batch.stream().map(Pending::point).toList());
      breaker.onSuccess(breaker.getCurrentTimestamp() - start, breaker.getTimestampUnit());
      for (Pending p : batch) {
        count(p.pipeline(), null, "stored", 1);
      }
    } catch (Exception e) {
      breaker.onError(breaker.getCurrentTimestamp() - start, breaker.getTimestampUnit(), e);
      skipped(batch, Skip.FAILED);
      LOG.debug("Qdrant upsert of {} points to {} failed: {}", batch.size(), collection, e.toString());
    }
  }

  private void skipped(List<Pending> batch, Skip why) {
    for (Pending p : batch) {
      count(p.pipeline(), why.tag(), "skipped", 1);
    }
  }

  private void count(String pipeline, String reason, String what, int n) {
    counters.computeIfAbsent(what + '|' + pipeline + '|' + reason, k -> {
      Counter.Builder b = Counter.builder("pulse.vector.points." + what).tag("pipeline", pipeline);
      return (reason == null ? b.description("Points upserted to the vector store")
          : b.tag("reason", reason).description("Points not stored in the vector store, by reason")).register(registry);
    }).increment(n);
  }
}
