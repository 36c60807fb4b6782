package dev.pulse.stream.metrics;

import dev.pulse.event.Alert;
import dev.pulse.event.AlertKind;
import dev.pulse.event.ScoredPost;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One pipeline's stream meters (Prometheus names in brackets):
 * <ul>
 *   <li>scored posts by feed, label and tier ({@code pulse_posts_scored_total{pipeline,feed,label,tier}});</li>
 *   <li>ingest → scored latency, a histogram in seconds ({@code pulse_ingest_to_scored_seconds_bucket});</li>
 *   <li>posts escalated to the LLM gateway ({@code pulse_escalations_total}) and those that kept their light score,
 *       by reason ({@code pulse_llm_fallbacks_total{reason}});</li>
 *   <li>dead letters by reason ({@code pulse_dead_letters_total{reason}});</li>
 *   <li>alerts raised by kind ({@code pulse_alerts_total{kind}});</li>
 *   <li>Kafka offsets deleted before the job read them ({@code pulse_lost_offsets_total{topic}}).</li>
 * </ul>
 */
public final class PipelineMeters {
  /** Histogram buckets for a latency from milliseconds (in a JVM) to tens of seconds (Spark's micro-batches). */
  public static final Duration[] LATENCY_BUCKETS = {
      Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100),
      Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofMillis(2500),
      Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofSeconds(60)};

  private final MeterRegistry registry;
  private final String pipeline;
  private final Timer ingestToScored;
  private final Counter escalations;
  private final Map<AlertKind, Counter> alerts = new EnumMap<>(AlertKind.class);
  private final Map<DeadLetterReason, Counter> deadLetters = new EnumMap<>(DeadLetterReason.class);
  private final Map<FallbackReason, Counter> fallbacks = new EnumMap<>(FallbackReason.class);
  private final Map<String, Counter> scored = new ConcurrentHashMap<>();

  PipelineMeters(MeterRegistry registry, String pipeline) {
    this.registry = registry;
    this.pipeline = pipeline;
    this.ingestToScored = Timer.builder("pulse.ingest.to.scored")
        .description("Time from a post's ingestion to its score (light, LLM or fallback)")
        .tag("pipeline", pipeline).serviceLevelObjectives(LATENCY_BUCKETS).register(registry);
    this.escalations = Counter.builder("pulse.escalations")
        .description("Posts sent to the LLM gateway because their light score was unsure")
        .tag("pipeline", pipeline).register(registry);
    for (AlertKind k : AlertKind.values()) {
      alerts.put(k, Counter.builder("pulse.alerts").description("Alerts raised, by kind")
          .tag("pipeline", pipeline).tag("kind", k.name()).register(registry));
    }
    for (DeadLetterReason r : DeadLetterReason.values()) {
      deadLetters.put(r, Counter.builder("pulse.dead.letters")
          .description("Records sent to the dead-letter topic, by reason")
          .tag("pipeline", pipeline).tag("reason", r.label()).register(registry));
    }
    for (FallbackReason r : FallbackReason.values()) {
      fallbacks.put(r, Counter.builder("pulse.llm.fallbacks")
          .description("Escalated posts that kept their light score, by reason")
          .tag("pipeline", pipeline).tag("reason", r.label()).register(registry));
    }
  }

  /** Each post scored (by feed, label and tier) and its ingest → scored latency. */
  public void scored(List<ScoredPost> posts, Instant now) {
    for (ScoredPost p : posts) {
      String feed = p.post().feed() == null ? "unknown" : p.post().feed();
      String label = p.label().name();
      String tier = p.tier().name();
      scored.computeIfAbsent(feed + '|' + label + '|' + tier, k -> Counter.builder("pulse.posts.scored")
          .description("Posts scored, by feed, label and the tier whose label stands")
          .tag("pipeline", pipeline).tag("feed", feed).tag("label", label).tag("tier", tier)
          .register(registry)).increment();
      if (p.post().ingestedAt() != null) {
        ingestToScored.record(Duration.ofMillis(Math.max(0, now.toEpochMilli() - p.post().ingestedAt().toEpochMilli())));
      }
    }
  }

  public void escalated(int posts) {
    escalations.increment(posts);
  }

  public void fellBack(FallbackReason reason, int posts) {
    fallbacks.get(reason).increment(posts);
  }

  public void deadLetter(DeadLetterReason reason) {
    deadLetters.get(reason).increment();
  }

  /**
   * Offsets of {@code topic} deleted before the job read them (retention passed while it was suspended or behind):
   * {@code pulse_lost_offsets_total{pipeline,topic}}.
   */
  public void lostOffsets(String topic, long offsets) {
    Counter.builder("pulse.lost.offsets")
        .description("Kafka offsets deleted (retention) before the job read them, skipped with failOnDataLoss=false")
        .tag("pipeline", pipeline).tag("topic", topic).register(registry).increment(offsets);
  }

  public void alerts(List<Alert> raised) {
    for (Alert a : raised) alerts.get(a.kind()).increment();
  }
}
