package dev.pulse.stream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pulse.event.Label;
import dev.pulse.event.Post;
import dev.pulse.event.ScoredBy;
import dev.pulse.event.ScoredPost;
import dev.pulse.event.Source;
import dev.pulse.tracing.PulseTracing;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The stream core's score span, as both engines make it: a child of the feed record's traceparent with the
 * pipeline, feed, source and tier (no text, no id), carried on into the scored record; the ingester's sampling
 * decision followed (parent-based), whatever this process' ratio; no span for a record without a trace.
 */
class ScoreSpansTest {
  private static final Instant T0 = Instant.parse("2026-12-06T08:00:00Z");
  private static final String TRACE = "0af7651916cd43dd8448eb211c80319c";
  private static final String INGEST_SPAN = "b7ad6b7169203331";

  private final InMemorySpanExporter exported = InMemorySpanExporter.create();
  // 0: this process starts no trace of its own; every span below comes from the ingester's decision.
  private final PulseTracing tracing = PulseTracing.with(ScoreSpans.SERVICE, exported, 0.0);

  @AfterEach
  void close() {
    ScoreSpans.stopCallHeaders();
    tracing.close();
  }

  private static Headers feedHeaders(String flags) {
    Headers h = new RecordHeaders();
    h.add("traceparent", ("00-" + TRACE + "-" + INGEST_SPAN + "-" + flags).getBytes(StandardCharsets.UTF_8));
    return h;
  }

  private static ScoredPost scored(String id) {
    Post post = Post.of(id, Source.RSS, "acme-news", "h", "flight grounded again", "en", T0, T0, null, null, null);
    return ScoredPost.of(post, Label.NEGATIVE, -0.6, 0.9, ScoredBy.LIGHT, false, null, T0);
  }

  private static String traceparent(Headers h) {
    return new String(h.lastHeader("traceparent").value(), StandardCharsets.UTF_8);
  }

  @Test
  void aSampledPostsScoreSpanContinuesItsTraceWithAttributesAndNoText() {
    ScoreSpans spans = new ScoreSpans(tracing, "acme");
    spans.read("rss:1", feedHeaders("01"));
    Headers out = new RecordHeaders();
    assertThat(spans.inject("rss:1", out)).isTrue();
    spans.written(List.of(scored("rss:1")));
    tracing.flush();

    SpanData span = exported.getFinishedSpanItems().get(0);
    assertThat(exported.getFinishedSpanItems()).hasSize(1);
    assertThat(span.getName()).isEqualTo("score");
    assertThat(span.getTraceId()).isEqualTo(TRACE);
    assertThat(span.getParentSpanId()).isEqualTo(INGEST_SPAN);
    assertThat(span.getResource().getAttributes().asMap().toString()).contains("service.name=pulse-stream");
    assertThat(span.getAttributes().asMap().toString())
        .contains("pulse.pipeline=acme", "pulse.feed=acme-news", "pulse.source=RSS", "pulse.tier=LIGHT")
        .doesNotContain("grounded").doesNotContain("rss:1");
    assertThat(traceparent(out)).isEqualTo("00-" + TRACE + "-" + span.getSpanId() + "-01");
  }

  @Test
  void anUnsampledPostMakesNoSpanAndStaysUnsampledDownstream() {
    ScoreSpans spans = new ScoreSpans(tracing, "acme");
    spans.read("rss:2", feedHeaders("00")); // an ingester that still wrote unsampled contexts
    Headers out = new RecordHeaders();
    assertThat(spans.inject("rss:2", out)).as("nothing to carry on: not sampled").isFalse();
    spans.written(List.of(scored("rss:2")));
    tracing.flush();
    assertThat(exported.getFinishedSpanItems()).isEmpty();
    assertThat(out.lastHeader("traceparent")).as("no header: the next stage makes no span").isNull();
  }

  @Test
  void aRecordWithoutTraceOrWithTracingOffGetsNoSpan() {
    ScoreSpans spans = new ScoreSpans(tracing, "acme");
    spans.read("rss:3", new RecordHeaders());
    assertThat(spans.inject("rss:3", new RecordHeaders())).isFalse();
    try (PulseTracing off = PulseTracing.off(ScoreSpans.SERVICE)) {
      ScoreSpans none = new ScoreSpans(off, "acme");
      none.read("rss:4", feedHeaders("01"));
      assertThat(none.inject("rss:4", new RecordHeaders())).isFalse();
    }
    spans.written(List.of(scored("rss:3")));
    tracing.flush();
    assertThat(exported.getFinishedSpanItems()).isEmpty();
  }
}
