package dev.pulse.local;

import dev.pulse.event.ScoredPost;
import dev.pulse.stream.LlmEscalator;
import dev.pulse.tracing.PulseTracing;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * The stream core's "score" span of each traced post in the local run: a child of the ingester's span (the feed
 * record's traceparent), from the moment the record is read to the moment its scored record is written, which carries
 * the span on to the dashboard. Off (no cost) unless tracing is configured.
 */
final class ScoreSpans implements AutoCloseable {
  private final PulseTracing tracing = PulseTracing.forService("pulse-stream");
  private final String pipeline;
  private final Map<String, Span> open = new HashMap<>();
  /**
   * The score span of each recent traced post, for the gateway call that escalates it (off the loop's thread, after
   * the span may have ended: a child may start after its parent ends). Bounded: escalation lags seconds, not minutes.
   */
  private final Map<String, SpanContext> recent = java.util.Collections.synchronizedMap(
      new java.util.LinkedHashMap<>(1024, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, SpanContext> eldest) {
          return size() > 8192;
        }
      });

  ScoreSpans(String pipeline) {
    this.pipeline = pipeline;
    if (tracing.enabled()) {
      LlmEscalator.callHeaders(ids -> PulseTracing.callHeaders(ids.stream().map(recent::get).toList()));
    }
  }

  /** A feed record read: its post's span starts (only for a record that carries a trace). */
  void read(ConsumerRecord<String, byte[]> r) {
    if (tracing.enabled() && r.key() != null && r.headers().lastHeader("traceparent") != null) {
      Span span = tracing.start("score", r.headers(), pipeline, null, null);
      open.put(r.key(), span);
      recent.put(r.key(), span.getSpanContext());
    }
  }

  /** An output record: the scored record of a traced post carries its span (scored records are keyed by post id). */
  void writing(ProducerRecord<String, byte[]> record, Map<String, ScoredPost> scoredById) {
    Span span = open.get(record.key());
    if (span != null && scoredById.containsKey(record.key())) {
      PulseTracing.inject(span, record.headers());
    }
  }

  /** The batch is written: every open span ends, with its post's feed and source. */
  void written(List<ScoredPost> scored) {
    for (ScoredPost p : scored) {
      Span span = open.get(p.post().id());
      if (span != null) {
        if (p.post().feed() != null) span.setAttribute(PulseTracing.FEED, p.post().feed());
        if (p.post().source() != null) span.setAttribute(PulseTracing.SOURCE, p.post().source().name());
        span.setAttribute("pulse.tier", p.tier().name());
      }
    }
    open.values().forEach(Span::end);
    open.clear();
  }

  @Override
  public void close() {
    if (tracing.enabled()) LlmEscalator.callHeaders(null);
    tracing.close();
  }
}
