package dev.pulse.stream;

import dev.pulse.event.LabelledExamples;
import dev.pulse.event.ScoredPost;
import dev.pulse.event.ScoredBy;
import dev.pulse.stream.metrics.FallbackReason;
import dev.pulse.stream.metrics.StreamMetrics;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Escalation off the stream loop ({@link StreamEngine}, the local run): the loop publishes every post's light score at
 * once and hands the unsure ones here; worker threads send them to the gateway ({@link LlmEscalator}, with its
 * circuit breaker) and the loop later {@link #drain}s the verdicts, which it publishes as updates of the same posts
 * (same id, tier LLM or FALLBACK). At most {@code maxInFlight} posts wait for the LLM: beyond that a post is not sent
 * and is published at once as FALLBACK (reason {@code overloaded}), so a slow LLM never holds the loop or its memory.
 *
 * <p>Nothing is lost: every post is published with its light score before it is sent. A verdict still in flight when
 * the loop stops is dropped (the light score stands), as is an update the dashboard never sees.
 */
public final class AsyncEscalation implements AutoCloseable {
  /** The rationale of a light score published while the LLM's verdict is awaited. */
  public static final String PENDING = "LLM verdict pending";

  /** Whether {@code p} was published while its verdict is awaited (only this class publishes LIGHT, escalated). */
  public static boolean awaitsVerdict(ScoredPost p) {
    return p.tier() == ScoredBy.LIGHT && p.escalated();
  }

  private final LlmEscalator escalator;
  private final String pipeline;
  private final int maxInFlight;
  private final int maxBatch;
  private final Clock clock;
  private final ExecutorService workers;
  private final AtomicInteger inFlight = new AtomicInteger();
  private final ConcurrentLinkedQueue<ScoredPost> verdicts = new ConcurrentLinkedQueue<>();
  private final ConcurrentLinkedQueue<Disagreement> disagreements = new ConcurrentLinkedQueue<>();

  /** A verdict that disagrees confidently with the light score ({@link LabelledExamples#confidentDisagreement}). */
  public record Disagreement(ScoredPost light, ScoredPost verdict) {}

  /**
   * @param workers concurrent gateway calls (the gateway and one CPU engine answer about one post a second; more
   *     callers only queue there)
   */
  public AsyncEscalation(LlmEscalator escalator, String pipeline, int maxInFlight, int maxBatch, int workers,
      Clock clock) {
    if (maxInFlight < 1 || maxBatch < 1 || workers < 1) {
      throw new IllegalArgumentException("maxInFlight, maxBatch and workers must be >= 1");
    }
    this.escalator = escalator;
    this.pipeline = pipeline;
    this.maxInFlight = maxInFlight;
    this.maxBatch = maxBatch;
    this.clock = clock;
    AtomicInteger n = new AtomicInteger();
    this.workers = Executors.newFixedThreadPool(workers, r -> {
      Thread t = new Thread(r, "pulse-escalation-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
  }

  /**
   * The posts as the loop publishes them now: the sure ones unchanged, the unsure ones sent to the LLM (light score,
   * {@code escalated}, rationale {@link #PENDING}) or, over the bound, FALLBACK. Same posts, same order.
   */
  public List<ScoredPost> submit(List<ScoredPost> scored, Instant now) {
    List<ScoredPost> out = new ArrayList<>(scored.size());
    List<ScoredPost> send = new ArrayList<>();
    int shed = 0;
    for (ScoredPost p : scored) {
      if (!escalator.needsLlm(p)) {
        out.add(p);
      } else if (inFlight.incrementAndGet() > maxInFlight) {
        inFlight.decrementAndGet();
        shed++;
        out.add(ScoredPost.of(p.post(), p.label(), p.score(), p.confidence(), ScoredBy.FALLBACK, true,
            "light score kept (" + maxInFlight + " posts already wait for the LLM)", now));
      } else {
        send.add(p);
        out.add(ScoredPost.of(p.post(), p.label(), p.score(), p.confidence(), ScoredBy.LIGHT, true, PENDING, now));
      }
    }
    if (shed > 0) {
      StreamMetrics.pipeline(pipeline).fellBack(FallbackReason.OVERLOADED, shed);
    }
    for (int from = 0; from < send.size(); from += maxBatch) {
      List<ScoredPost> batch = List.copyOf(send.subList(from, Math.min(send.size(), from + maxBatch)));
      workers.execute(() -> call(batch));
    }
    return out;
  }

  private void call(List<ScoredPost> batch) {
    try {
      // Escalated as the synchronous path does (light posts in, verdicts or FALLBACK out, same order, same count).
      List<ScoredPost> answered = escalator.escalate(batch, clock.instant());
      for (int i = 0; i < answered.size(); i++) {
        if (LabelledExamples.confidentDisagreement(batch.get(i), answered.get(i))) {
          disagreements.add(new Disagreement(batch.get(i), answered.get(i)));
        }
      }
      verdicts.addAll(answered);
    } finally {
      inFlight.addAndGet(-batch.size());
    }
  }

  /** The verdicts that came back since the last call, for the loop to publish. */
  public List<ScoredPost> drain() {
    List<ScoredPost> out = new ArrayList<>();
    for (ScoredPost p; (p = verdicts.poll()) != null; ) out.add(p);
    return out;
  }

  /** The confident disagreements since the last call (drain them before {@link #drain}: they come first). */
  public List<Disagreement> drainDisagreements() {
    List<Disagreement> out = new ArrayList<>();
    for (Disagreement d; (d = disagreements.poll()) != null; ) out.add(d);
    return out;
  }

  /** Posts sent and not yet answered, plus verdicts not yet drained: whether the loop has more to publish. */
  public boolean busy() {
    return inFlight.get() > 0 || !verdicts.isEmpty();
  }

  @Override
  public void close() {
    workers.shutdownNow();
    try {
      workers.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
