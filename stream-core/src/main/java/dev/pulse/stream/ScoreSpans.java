package dev.pulse.stream;

import dev.pulse.event.ScoredPost;
import dev.pulse.tracing.PulseTracing;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.kafka.common.header.Headers;

/**
 * The stream core's "score" span of each traced post, the same whichever engine runs the core (./pulse local's loop,
 * the Spark job's executors), so a post's trace looks the same in both: service {@value #SERVICE}, a child of the
 * ingester's span (the feed record's {@code traceparent}), attributes {@code pulse.pipeline} (at the start) and
 * {@code pulse.feed}, {@code pulse.source}, {@code pulse.tier} (once scored) — never the post's text or id. Its
 * context goes on in the scored record's headers ({@link #inject}) and in the LLM gateway call that escalates the
 * post ({@link LlmEscalator#callHeaders}, set while tracing is on). Only a record that carries a trace gets a span;
 * sampling follows the ingester's decision (parent-based). Off, it costs nothing per post.
 *
 * <p>One instance per thread that scores (the open spans are not shared); the escalation hook and the recent
 * contexts it reads are per JVM, as LlmEscalator's hook is.
 */
public final class ScoreSpans {
  public static final String SERVICE = "pulse-stream";
  public static final String STAGE = "score";
  private static final String TRACEPARENT = "traceparent";

  /**
   * The score span of each recent traced post, for the gateway call that escalates it (off the scoring thread in
   * ./pulse local, after the span may have ended: a child may start after its parent ends). Bounded: escalation lags
   * seconds, and a Spark task escalates a chunk (at most 512 posts) right after reading it.
   */
  private static final Map<String, SpanContext> RECENT = java.util.Collections.synchronizedMap(
      new java.util.LinkedHashMap<>(1024, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, SpanContext> eldest) {
          return size() > 8192;
        }
      });
  private static final Function<List<String>, Map<String, String>> CALL_HEADERS =
      ids -> PulseTracing.callHeaders(ids.stream().map(RECENT::get).toList());

  private final PulseTracing tracing;
  private final String pipeline;
  private final Map<String, Span> open = new HashMap<>();

  /** {@code tracing} stays the caller's (closed by it); while it is on, the gateway calls carry the posts' spans. */
  public ScoreSpans(PulseTracing tracing, String pipeline) {
    this.tracing = tracing;
    this.pipeline = pipeline;
    if (tracing.enabled()) {
      LlmEscalator.callHeaders(CALL_HEADERS);
    }
  }

  /** The gateway calls of this JVM carry no trace headers any more (the process' tracing is closing). */
  public static void stopCallHeaders() {
    LlmEscalator.callHeaders(null);
  }

  /** A feed record read: its post's span starts, only for a record that carries a trace. */
  public void read(String postId, Headers headers) {
    if (tracing.enabled() && postId != null && headers != null && headers.lastHeader(TRACEPARENT) != null) {
      Span span = tracing.start(STAGE, headers, pipeline, null, null);
      open.put(postId, span);
      RECENT.put(postId, span.getSpanContext());
    }
  }

  /**
   * Writes the post's span as {@code traceparent} into an output record's headers; false when it has none open or
   * its span is not sampled (a record from an ingester that still sent unsampled contexts).
   */
  public boolean inject(String postId, Headers headers) {
    Span span = open.get(postId);
    return span != null && PulseTracing.inject(span, headers);
  }

  /** The batch is written: every open span ends, the scored posts' with their feed, source and tier. */
  public void written(Collection<ScoredPost> scored) {
    if (open.isEmpty()) return;
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
}
