package dev.pulse.llm.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pulse.tracing.PulseTracing;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

/**
 * The gateway's span of a classify call: a child of the caller's traceparent, linked to the batch's other traces,
 * with the pipeline and the batch size from the body the controller reads — and no post text anywhere.
 */
class GatewayTracingTest {
  private static final String TEXT = "my order never arrived and support ignores me";

  @Test
  void aClassifyCallIsTracedUnderTheCallersTraceWithoutPostText() throws Exception {
    InMemorySpanExporter spans = InMemorySpanExporter.create();
    try (PulseTracing stream = PulseTracing.with("pulse-stream", spans, 1.0);
        GatewayTracing filter = new GatewayTracing(PulseTracing.with("pulse-llm-gateway", spans, 1.0))) {
      Span a = stream.start("score", null, "northwind", "news", "RSS");
      Span b = stream.start("score", null, "northwind", "news", "RSS");
      MockHttpServletRequest request = new MockHttpServletRequest("POST", "/v1/classify");
      PulseTracing.callHeaders(List.of(a.getSpanContext(), b.getSpanContext())).forEach(request::addHeader);
      request.setContentType("application/json");
      request.setContent(("{\"pipeline\":\"northwind\",\"posts\":[{\"id\":\"p1\",\"text\":\"" + TEXT
          + "\"},{\"id\":\"p2\",\"text\":\"" + TEXT + "\"}]}").getBytes(StandardCharsets.UTF_8));
      MockHttpServletResponse response = new MockHttpServletResponse();
      // The controller reads the body, as Spring's message converter does.
      filter.doFilter(request, response, new MockFilterChain(new jakarta.servlet.http.HttpServlet() {
        @Override
        protected void service(jakarta.servlet.http.HttpServletRequest req, jakarta.servlet.http.HttpServletResponse res)
            throws java.io.IOException {
          req.getInputStream().readAllBytes();
          res.setStatus(200);
        }
      }));
      a.end();
      b.end();
      filter.flush();
      SpanData call = spans.getFinishedSpanItems().stream().filter(s -> s.getName().equals("llm classify"))
          .findFirst().orElseThrow();
      assertThat(call.getResource().getAttribute(io.opentelemetry.api.common.AttributeKey.stringKey("service.name")))
          .isEqualTo("pulse-llm-gateway");
      assertThat(call.getParentSpanId()).isEqualTo(a.getSpanContext().getSpanId());
      assertThat(call.getTraceId()).isEqualTo(a.getSpanContext().getTraceId());
      assertThat(call.getLinks()).extracting(l -> l.getSpanContext().getTraceId())
          .containsExactly(b.getSpanContext().getTraceId());
      assertThat(call.getAttributes().get(PulseTracing.PIPELINE)).isEqualTo("northwind");
      assertThat(call.getAttributes().get(GatewayTracing.POSTS)).isEqualTo(2L);
      assertThat(call.getAttributes().asMap().values()).noneMatch(v -> String.valueOf(v).contains("order never"))
          .noneMatch(v -> String.valueOf(v).equals("p1"));
    }
  }

  @Test
  void offWithoutAnEndpointAndOnlyForTheApi() {
    GatewayTracing off = new GatewayTracing(PulseTracing.off("pulse-llm-gateway"));
    assertThat(off.shouldNotFilter(new MockHttpServletRequest("POST", "/v1/classify"))).isTrue();
    GatewayTracing on = new GatewayTracing(PulseTracing.with("pulse-llm-gateway", InMemorySpanExporter.create(), 1));
    assertThat(on.shouldNotFilter(new MockHttpServletRequest("GET", "/actuator/prometheus"))).isTrue();
    assertThat(on.shouldNotFilter(new MockHttpServletRequest("POST", "/v1/classify"))).isFalse();
    on.close();
  }
}
