package dev.pulse.llm.metrics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pulse.tracing.PulseTracing;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.util.ContentCachingRequestWrapper;

/**
 * The gateway's span of each API call ({@code llm classify}, {@code llm explain}, {@code llm draft}; service {@code
 * pulse-llm-gateway}): a child of the caller's W3C {@code traceparent}, linked to the batch's other posts' traces
 * ({@link PulseTracing#LINKS_HEADER}), with the pipeline (read from the request body once the controller has read it)
 * and the number of posts as attributes — never a post's text or id. Off, at no cost, unless
 * OTEL_EXPORTER_OTLP_ENDPOINT is set (the operator sets it from the chart's tracing values).
 */
public final class GatewayTracing extends OncePerRequestFilter implements AutoCloseable {
  static final AttributeKey<Long> POSTS = AttributeKey.longKey("pulse.posts");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int MAX_BODY = 8 * 1024 * 1024;
  private final PulseTracing tracing;

  public GatewayTracing() {
    this(PulseTracing.forService("pulse-llm-gateway"));
  }

  public GatewayTracing(PulseTracing tracing) {
    this.tracing = tracing;
  }

  @Override
  protected boolean shouldNotFilter(HttpServletRequest request) {
    return !tracing.enabled() || !request.getRequestURI().startsWith("/v1/");
  }

  @Override
  protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    ContentCachingRequestWrapper body = new ContentCachingRequestWrapper(request, MAX_BODY);
    Span span = tracing.startCall(stage(request.getRequestURI()), request::getHeader, null);
    try {
      chain.doFilter(body, response);
    } finally {
      describe(span, body.getContentAsByteArray());
      span.setAttribute("http.response.status_code", response.getStatus());
      if (response.getStatus() >= 500) span.setStatus(StatusCode.ERROR);
      span.end();
    }
  }

  /** The pipeline and the batch's size from the JSON the controller read; nothing else of the body. */
  private static void describe(Span span, byte[] json) {
    if (json.length == 0) return;
    try {
      JsonNode root = JSON.readTree(json);
      if (root.path("pipeline").isTextual()) span.setAttribute(PulseTracing.PIPELINE, root.path("pipeline").asText());
      if (root.path("posts").isArray()) span.setAttribute(POSTS, (long) root.path("posts").size());
    } catch (IOException e) {
      span.setAttribute("pulse.body", "not JSON"); // the controller answered 400 already
    }
  }

  private static String stage(String uri) {
    if (uri.startsWith("/v1/classify")) return "llm classify";
    if (uri.startsWith("/v1/alerts/explain")) return "llm explain";
    if (uri.startsWith("/v1/responses/draft")) return "llm draft";
    return "llm gateway";
  }

  /** Sends what is buffered. */
  public void flush() {
    tracing.flush();
  }

  @Override
  public void close() {
    tracing.close();
  }
}
