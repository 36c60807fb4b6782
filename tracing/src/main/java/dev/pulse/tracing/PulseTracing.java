package dev.pulse.tracing;

import dev.pulse.contract.TracingOptions;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapSetter;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * One component's tracing: spans named after Pulse's stages (ingest, score, dashboard push) carrying the pipeline,
 * feed and source as attributes (never the post's text or id), W3C {@code traceparent} carried in Kafka record
 * headers, OTLP/HTTP export to a collector (Jaeger). Settings, from the environment:
 * <ul>
 *   <li>{@value #ENDPOINT_ENV}: the OTLP/HTTP endpoint (e.g. {@code http://jaeger-collector:4318}); unset = tracing
 *       off (no spans, nothing exported, headers still passed on);</li>
 *   <li>{@value #RATIO_ENV}: the share of new traces sampled, default {@value #DEFAULT_RATIO}; a post whose ingester
 *       sampled it is sampled by every later stage (parent-based).</li>
 * </ul>
 */
public final class PulseTracing implements AutoCloseable {
  // Declared once in the contract module, which the operator writes the pods' environment from.
  public static final String ENDPOINT_ENV = TracingOptions.ENDPOINT.key();
  public static final String RATIO_ENV = TracingOptions.SAMPLE_RATIO.key();
  public static final double DEFAULT_RATIO = TracingOptions.SAMPLE_RATIO.defaultValue();
  public static final AttributeKey<String> PIPELINE = AttributeKey.stringKey("pulse.pipeline");
  public static final AttributeKey<String> FEED = AttributeKey.stringKey("pulse.feed");
  public static final AttributeKey<String> SOURCE = AttributeKey.stringKey("pulse.source");

  private static final W3CTraceContextPropagator W3C = W3CTraceContextPropagator.getInstance();
  private static final TextMapSetter<Headers> SETTER = (headers, key, value) -> {
    headers.remove(key);
    headers.add(key, value.getBytes(StandardCharsets.UTF_8));
  };
  private static final TextMapGetter<Headers> GETTER = new TextMapGetter<>() {
    @Override
    public Iterable<String> keys(Headers headers) {
      List<String> keys = new ArrayList<>();
      for (Header h : headers) keys.add(h.key());
      return keys;
    }

    @Override
    public String get(Headers headers, String key) {
      Header h = headers == null ? null : headers.lastHeader(key);
      return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }
  };

  /** The call header carrying the contexts of a batch's other traced posts (span links). */
  public static final String LINKS_HEADER = "pulse-trace-links";
  /** Links per call: a gateway batch holds up to 256 posts, but a span with hundreds of links helps nobody. */
  public static final int MAX_LINKS = 32;
  private static final String TRACEPARENT = "traceparent";
  private static final TextMapSetter<Map<String, String>> MAP_SETTER = Map::put;
  private static final TextMapGetter<Map<String, String>> MAP_GETTER = new TextMapGetter<>() {
    @Override
    public Iterable<String> keys(Map<String, String> carrier) {
      return carrier.keySet();
    }

    @Override
    public String get(Map<String, String> carrier, String key) {
      return carrier == null ? null : carrier.get(key);
    }
  };
  private static final TextMapGetter<java.util.function.Function<String, String>> FUNCTION_GETTER =
      new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(java.util.function.Function<String, String> carrier) {
          return List.of(TRACEPARENT, "tracestate");
        }

        @Override
        public String get(java.util.function.Function<String, String> carrier, String key) {
          return carrier == null ? null : carrier.apply(key);
        }
      };

  private final SdkTracerProvider provider;
  private final Tracer tracer;
  private final boolean enabled;

  private PulseTracing(SdkTracerProvider provider, String component, boolean enabled) {
    this.provider = provider;
    this.tracer = provider.get("dev.pulse." + component);
    this.enabled = enabled;
  }

  /** False when off: callers then add no header and start no span (no cost per post). */
  public boolean enabled() {
    return enabled;
  }

  /** Java system property equivalents of the two settings (OpenTelemetry's own naming), for in-JVM runs and tests. */
  public static final String ENDPOINT_PROPERTY = "otel.exporter.otlp.endpoint";
  public static final String RATIO_PROPERTY = "pulse.trace.sample.ratio";

  /** Tracing for {@code service} from this process' environment, or the equivalent system properties. */
  public static PulseTracing forService(String service) {
    Map<String, String> settings = new java.util.HashMap<>(System.getenv());
    String endpoint = System.getProperty(ENDPOINT_PROPERTY);
    if (endpoint != null) settings.put(ENDPOINT_ENV, endpoint);
    String ratio = System.getProperty(RATIO_PROPERTY);
    if (ratio != null) settings.put(RATIO_ENV, ratio);
    return fromEnvironment(service, settings);
  }

  /** Tracing for {@code service} (e.g. pulse-ingester) as the environment sets it; off without an endpoint. */
  public static PulseTracing fromEnvironment(String service, Map<String, String> env) {
    String endpoint = TracingOptions.ENDPOINT.read(env);
    if (endpoint == null) {
      return off(service);
    }
    double ratio = TracingOptions.SAMPLE_RATIO.read(env);
    String url = endpoint.endsWith("/") ? endpoint + "v1/traces" : endpoint + "/v1/traces";
    return with(service, OtlpHttpSpanExporter.builder().setEndpoint(url).setTimeout(Duration.ofSeconds(5)).build(),
        ratio);
  }

  /** Tracing exporting to {@code exporter} (tests: an in-memory one), sampling {@code ratio} of new traces. */
  public static PulseTracing with(String service, SpanExporter exporter, double ratio) {
    if (!(ratio >= 0 && ratio <= 1)) {
      throw new IllegalArgumentException(RATIO_ENV + " must be in [0, 1]: " + ratio);
    }
    SdkTracerProvider provider = SdkTracerProvider.builder()
        .setResource(Resource.getDefault().merge(Resource.create(Attributes.of(
            AttributeKey.stringKey("service.name"), service))))
        .setSampler(Sampler.parentBased(Sampler.traceIdRatioBased(ratio)))
        .addSpanProcessor(BatchSpanProcessor.builder(exporter).setScheduleDelay(Duration.ofMillis(500)).build())
        .build();
    return new PulseTracing(provider, service, true);
  }

  /** No spans, nothing exported. */
  public static PulseTracing off(String service) {
    return new PulseTracing(SdkTracerProvider.builder().setSampler(Sampler.alwaysOff()).build(), service, false);
  }

  /**
   * Starts a stage's span: a child of the context in {@code headers} (a record read from Kafka) or, without one, the
   * root of a new trace. End it with {@link Span#end()}.
   */
  public Span start(String stage, Headers headers, String pipeline, String feed, String source) {
    Context parent = headers == null ? Context.root() : W3C.extract(Context.root(), headers, GETTER);
    var builder = tracer.spanBuilder(stage).setParent(parent)
        .setSpanKind(headers == null ? SpanKind.PRODUCER : SpanKind.CONSUMER);
    if (pipeline != null) builder.setAttribute(PIPELINE, pipeline);
    if (feed != null) builder.setAttribute(FEED, feed);
    if (source != null) builder.setAttribute(SOURCE, source);
    return builder.startSpan();
  }

  /**
   * The HTTP headers of a call made for a batch of posts (the stream core's call to the LLM gateway): {@code
   * traceparent} of the first sampled post's span, and the other sampled posts' contexts in {@value #LINKS_HEADER}
   * (comma-separated traceparents, at most {@value #MAX_LINKS}), since W3C carries a single parent. Empty when no post
   * of the batch is traced.
   */
  public static Map<String, String> callHeaders(List<SpanContext> posts) {
    List<String> traceparents = new ArrayList<>();
    for (SpanContext c : posts) {
      if (c == null || !c.isValid() || !c.isSampled()) continue;
      Map<String, String> carrier = new java.util.HashMap<>();
      W3C.inject(Context.root().with(Span.wrap(c)), carrier, MAP_SETTER);
      String tp = carrier.get(TRACEPARENT);
      if (tp != null && !traceparents.contains(tp)) traceparents.add(tp);
      if (traceparents.size() > MAX_LINKS) break;
    }
    if (traceparents.isEmpty()) return Map.of();
    Map<String, String> headers = new java.util.LinkedHashMap<>();
    headers.put(TRACEPARENT, traceparents.get(0));
    if (traceparents.size() > 1) headers.put(LINKS_HEADER, String.join(",", traceparents.subList(1, traceparents.size())));
    return headers;
  }

  /**
   * The server side of such a call (the gateway): a span child of the call's {@code traceparent}, linked to every
   * context in {@value #LINKS_HEADER}, with the pipeline as attribute. {@code header} reads a request header by name.
   */
  public Span startCall(String stage, java.util.function.Function<String, String> header, String pipeline) {
    Context parent = W3C.extract(Context.root(), header, FUNCTION_GETTER);
    var builder = tracer.spanBuilder(stage).setParent(parent).setSpanKind(SpanKind.SERVER);
    String links = header.apply(LINKS_HEADER);
    if (links != null) {
      int n = 0;
      for (String tp : links.split(",")) {
        if (++n > MAX_LINKS) break;
        SpanContext linked = Span.fromContext(W3C.extract(Context.root(), Map.of(TRACEPARENT, tp.trim()),
            MAP_GETTER)).getSpanContext();
        if (linked.isValid()) builder.addLink(linked);
      }
    }
    if (pipeline != null) builder.setAttribute(PIPELINE, pipeline);
    return builder.startSpan();
  }

  /**
   * Writes a sampled span's context as {@code traceparent} into a record's headers (what the next stage reads);
   * false, and no header, for a span that is not sampled. Pulse's later stages never start a trace of their own (a
   * record without the header gets no span), so "not sampled" needs no header: the 99 % of posts the default ratio
   * leaves out cost no header bytes on every topic and no span at every later stage.
   */
  public static boolean inject(Span span, Headers headers) {
    if (!span.getSpanContext().isSampled()) {
      return false;
    }
    W3C.inject(Context.root().with(span), headers, SETTER);
    return true;
  }

  /** Passes a record's trace on unchanged (a stage that makes no span of its own). */
  public static void copy(Headers from, Headers to) {
    Header h = from.lastHeader("traceparent");
    if (h != null) {
      to.remove("traceparent");
      to.add("traceparent", h.value());
    }
  }

  /** Sends what is buffered (tests, shutdown). */
  public void flush() {
    provider.forceFlush().join(10, java.util.concurrent.TimeUnit.SECONDS);
  }

  @Override
  public void close() {
    provider.shutdown().join(10, java.util.concurrent.TimeUnit.SECONDS);
  }
}
