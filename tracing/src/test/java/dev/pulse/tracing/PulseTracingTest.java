package dev.pulse.tracing;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

/** Stages joined into one trace through W3C traceparent headers, with Pulse's attributes and sampling. */
class PulseTracingTest {

  @Test
  void aBatchCallIsAChildOfItsFirstTracedPostAndLinksTheOthers() {
    InMemorySpanExporter spans = InMemorySpanExporter.create();
    try (PulseTracing stream = PulseTracing.with("pulse-stream", spans, 1.0);
        PulseTracing gateway = PulseTracing.with("pulse-llm-gateway", spans, 1.0)) {
      Span a = stream.start("score", null, "northwind", "news", "RSS");
      Span b = stream.start("score", null, "northwind", "reddit", "REDDIT");
      assertThat(PulseTracing.callHeaders(List.of(Span.getInvalid().getSpanContext()))).as("nothing traced").isEmpty();
      Map<String, String> headers = PulseTracing.callHeaders(
          List.of(Span.getInvalid().getSpanContext(), a.getSpanContext(), b.getSpanContext(), a.getSpanContext()));
      assertThat(headers).containsOnlyKeys("traceparent", PulseTracing.LINKS_HEADER);
      Span call = gateway.startCall("llm classify", headers::get, "northwind");
      call.end();
      a.end();
      b.end();
      gateway.flush();
      SpanData server = spans.getFinishedSpanItems().stream().filter(s -> s.getName().equals("llm classify"))
          .findFirst().orElseThrow();
      assertThat(server.getTraceId()).isEqualTo(a.getSpanContext().getTraceId());
      assertThat(server.getParentSpanId()).isEqualTo(a.getSpanContext().getSpanId());
      assertThat(server.getLinks()).extracting(l -> l.getSpanContext().getSpanId())
          .containsExactly(b.getSpanContext().getSpanId());
      assertThat(server.getAttributes().get(PulseTracing.PIPELINE)).isEqualTo("northwind");
      Span orphan = gateway.startCall("llm classify", name -> null, "northwind");
      assertThat(orphan.getSpanContext().getTraceId()).as("no header: a new trace")
          .isNotEqualTo(a.getSpanContext().getTraceId());
      orphan.end();
    }
  }

  @Test
  void threeStagesJoinOneTraceThroughKafkaHeaders() {
    InMemorySpanExporter spans = InMemorySpanExporter.create();
    try (PulseTracing ingester = PulseTracing.with("pulse-ingester", spans, 1.0);
        PulseTracing stream = PulseTracing.with("pulse-stream", spans, 1.0);
        PulseTracing dashboard = PulseTracing.with("pulse-dashboard", spans, 1.0)) {
      RecordHeaders feedRecord = new RecordHeaders();
      Span ingest = ingester.start("ingest", null, null, "northwind-news", "RSS");
      PulseTracing.inject(ingest, feedRecord);
      ingest.end();
      String traceparent = new String(feedRecord.lastHeader("traceparent").value(), StandardCharsets.UTF_8);
      assertThat(traceparent).matches("00-[0-9a-f]{32}-[0-9a-f]{16}-01");

      RecordHeaders scoredRecord = new RecordHeaders();
      Span score = stream.start("score", feedRecord, "northwind", "northwind-news", "RSS");
      PulseTracing.inject(score, scoredRecord);
      score.end();
      Span push = dashboard.start("dashboard push", scoredRecord, "northwind", "northwind-news", "RSS");
      push.end();
      ingester.flush();
      stream.flush();
      dashboard.flush();
      check(spans.getFinishedSpanItems()); // before close: shutting the exporter down clears it
    }
  }

  private static void check(List<SpanData> finished) {
    assertThat(finished).extracting(SpanData::getName).containsExactlyInAnyOrder("ingest", "score", "dashboard push");
    assertThat(finished).extracting(SpanData::getTraceId).containsOnly(finished.get(0).getTraceId());
    SpanData score = finished.stream().filter(s -> s.getName().equals("score")).findFirst().orElseThrow();
    SpanData ingest = finished.stream().filter(s -> s.getName().equals("ingest")).findFirst().orElseThrow();
    assertThat(score.getParentSpanId()).isEqualTo(ingest.getSpanId());
    assertThat(score.getAttributes().get(PulseTracing.PIPELINE)).isEqualTo("northwind");
    assertThat(score.getAttributes().get(PulseTracing.FEED)).isEqualTo("northwind-news");
    assertThat(score.getResource().getAttribute(io.opentelemetry.api.common.AttributeKey.stringKey("service.name")))
        .isEqualTo("pulse-stream");
    assertThat(finished).allSatisfy(span -> assertThat(span.getAttributes().asMap().toString())
        .doesNotContain("text"));
  }

  @Test
  void aTraceTheIngesterDidNotSampleStaysUnsampledDownstream() {
    InMemorySpanExporter spans = InMemorySpanExporter.create();
    try (PulseTracing ingester = PulseTracing.with("pulse-ingester", spans, 0.0);
        PulseTracing stream = PulseTracing.with("pulse-stream", spans, 1.0)) {
      RecordHeaders headers = new RecordHeaders();
      Span ingest = ingester.start("ingest", null, null, "f", "X");
      assertThat(PulseTracing.inject(ingest, headers)).as("an unsampled span writes no header").isFalse();
      assertThat(headers.lastHeader("traceparent")).isNull();
      ingest.end();
      // A record from an ingester that still wrote unsampled contexts: its child stays unsampled.
      Span unsampled = Span.wrap(io.opentelemetry.api.trace.SpanContext.create(
          "0af7651916cd43dd8448eb211c80319c", "b7ad6b7169203331", io.opentelemetry.api.trace.TraceFlags.getDefault(),
          io.opentelemetry.api.trace.TraceState.getDefault()));
      io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator.getInstance().inject(
          io.opentelemetry.context.Context.root().with(unsampled), headers,
          (h, k, v) -> h.add(k, v.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
      Span child = stream.start("score", headers, "p", "f", "X");
      RecordHeaders out = new RecordHeaders();
      assertThat(PulseTracing.inject(child, out)).isFalse();
      child.end();
      stream.start("score", null, "p", "f", "X").end(); // a root span at ratio 1 is sampled: the check can fail
      ingester.flush();
      stream.flush();
      assertThat(spans.getFinishedSpanItems()).extracting(s -> s.getParentSpanContext().isValid())
          .as("only the new root span, not the child of the unsampled ingest").containsExactly(false);
    }
  }

  @Test
  void withoutAnEndpointTracingIsOffAndTheRatioDefaultsToOnePercent() {
    try (PulseTracing off = PulseTracing.fromEnvironment("pulse-stream", Map.of())) {
      assertThat(off.start("score", null, "p", "f", "X").getSpanContext().isSampled()).isFalse();
    }
    assertThat(PulseTracing.DEFAULT_RATIO).isEqualTo(0.01);
  }
}
