package dev.pulse.spark;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.pulse.event.EventJson;
import dev.pulse.event.Label;
import dev.pulse.event.Post;
import dev.pulse.event.ScoredBy;
import dev.pulse.event.ScoredPost;
import dev.pulse.event.Source;
import dev.pulse.stream.GatewayStandIn;
import dev.pulse.stream.LlmEscalator;
import dev.pulse.stream.PostProcessor;
import dev.pulse.stream.PostScorer;
import dev.pulse.stream.VectorSink;
import dev.pulse.testsupport.kafka.EmbeddedKafka;
import dev.pulse.testsupport.kafka.KafkaTopics;
import dev.pulse.testsupport.observe.GoBuilds;
import dev.pulse.testsupport.observe.JaegerServer;
import dev.pulse.tracing.PulseTracing;
import io.opentelemetry.api.trace.Span;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A post's trace through the Spark job (issue 20): a post ingested with the ingester's span in its feed record's
 * {@code traceparent} is scored by the real scored-posts query (Spark local mode, the embedded broker), escalated
 * through a gateway whose front makes the gateway's "llm classify" span from the call's headers (as llm-runtime's
 * GatewayTracing filter does) before handing the call to the gateway stand-in, and its scored record, read back,
 * starts the dashboard's push span; a real Jaeger (hack/observability/build-jaeger.sh) then returns one trace:
 * ingest → score (the executor's span, service pulse-stream) → llm classify and dashboard push, with the pipeline
 * and feed as attributes and no post text or id. A post the ingester did not sample makes no span downstream (its
 * scored record stays unsampled), a post without a trace gets no traceparent, and an invalid record's dead letter
 * carries the ingester's traceparent.
 */
class SparkTraceJaegerTest {
  private static final String PIPELINE = "acme";
  private static final String FEED = "acme-x";
  private static final String TEXT = "the outage again, every flight grounded";
  /** Unsure (0.3): every valid post is escalated to the gateway. */
  private static final PostScorer LIGHT = (posts, now) -> posts.stream()
      .map(p -> ScoredPost.of(p, Label.NEUTRAL, 0.0, 0.3, ScoredBy.LIGHT, false, null, now)).toList();

  private static SparkSession spark;
  @TempDir Path dir;

  @BeforeAll
  static void startSpark() {
    spark = TestSpark.builder("pulse-spark-trace")
        .getOrCreate();
  }

  @AfterAll
  static void stopSpark() {
    if (spark != null) spark.stop();
  }

  private static JaegerServer jaeger() throws Exception {
    try {
      return JaegerServer.start();
    } catch (GoBuilds.Unavailable e) {
      Assumptions.abort("no Jaeger binary cached and no Go to build it (hack/observability/build-jaeger.sh): "
          + e.getMessage());
      throw e;
    }
  }

  @Test
  void aPostsTraceRunsFromIngestThroughTheSparkJobAndTheGatewayToTheDashboardPush() throws Exception {
    EmbeddedKafka kafka = EmbeddedKafka.shared();
    String base = "pulse.pipeline.test." + PIPELINE + "-" + UUID.randomUUID().toString().substring(0, 8) + ".";
    String feedTopic = base + "feed";
    String scoredTopic = base + "scored";
    String deadTopic = base + "dead-letters";
    KafkaTopics.ensure(kafka.bootstrapServers(), List.of(feedTopic, scoredTopic, deadTopic,
        dev.pulse.event.LabelledExamples.topicFor(scoredTopic)), 1);
    String unsampledTrace = UUID.randomUUID().toString().replace("-", "");

    try (JaegerServer jaeger = jaeger(); GatewayStandIn standIn = new GatewayStandIn()) {
      Map<String, String> env = Map.of(PulseTracing.ENDPOINT_ENV, jaeger.otlpEndpoint(),
          PulseTracing.RATIO_ENV, "1.0");
      String traceId;
      String ingestSpanId;
      String scoreSpanId;
      // The executors' settings, as the operator gives their pods (system properties: local mode's executor is this
      // JVM). The default 1 %: a post the ingester sampled is traced whatever this ratio (parent-based).
      System.setProperty(PulseTracing.ENDPOINT_PROPERTY, jaeger.otlpEndpoint());
      System.setProperty(PulseTracing.RATIO_PROPERTY, "0.01");
      try (PulseTracing ingester = PulseTracing.fromEnvironment("pulse-ingester", env);
          PulseTracing gatewayTracing = PulseTracing.fromEnvironment("pulse-llm-gateway", env);
          PulseTracing dashboard = PulseTracing.fromEnvironment("pulse-dashboard", env)) {
        List<String> callTraceparents = new CopyOnWriteArrayList<>();
        HttpServer gateway = gatewayFront(standIn, gatewayTracing, callTraceparents);
        Span ingest = ingester.start("ingest", null, null, FEED, "X");
        Span ingestInvalid = ingester.start("ingest", null, null, FEED, "X");
        try {
          // 1. The ingester writes four records: traced (sampled), traced but not sampled, untraced, invalid.
          Instant now = Instant.now();
          try (KafkaProducer<String, byte[]> producer = producer(kafka.bootstrapServers())) {
            ProducerRecord<String, byte[]> traced = post(feedTopic, "x:traced", now);
            PulseTracing.inject(ingest, traced.headers());
            ProducerRecord<String, byte[]> unsampled = post(feedTopic, "x:unsampled", now);
            unsampled.headers().add("traceparent",
                ("00-" + unsampledTrace + "-b7ad6b7169203331-00").getBytes(StandardCharsets.UTF_8));
            ProducerRecord<String, byte[]> invalid = new ProducerRecord<>(feedTopic, null, now.toEpochMilli(),
                "x:invalid", "not json".getBytes(StandardCharsets.UTF_8));
            PulseTracing.inject(ingestInvalid, invalid.headers());
            for (ProducerRecord<String, byte[]> r : List.of(traced, unsampled, post(feedTopic, "x:untraced", now),
                invalid)) {
              producer.send(r).get();
            }
          } finally {
            ingest.end();
            ingestInvalid.end();
          }
          traceId = ingest.getSpanContext().getTraceId();
          ingestSpanId = ingest.getSpanContext().getSpanId();

          // 2. The Spark job's scored-posts query, until the feed is read (available-now).
          JobConfig job = new JobConfig(kafka.bootstrapServers(), List.of(feedTopic), scoredTopic, deadTopic,
              dir.resolve("ckpt").toUri().toString(), Duration.ofMinutes(10), null, true, false);
          PostProcessor processor = new PostProcessor(PIPELINE, LIGHT, new LlmEscalator(
              "http://127.0.0.1:" + gateway.getAddress().getPort(), PIPELINE, 0.6, Duration.ofSeconds(30), 64),
              VectorSink.NONE);
          StreamingQuery query = ScoredPostsJob.start(spark, job, processor);
          assertThat(query.awaitTermination(180_000)).as("the available-now run finishes").isTrue();
          assertThat(query.exception().isEmpty()).isTrue();

          // 3. The scored records' headers: the traced post's continues its trace from the score span.
          Map<String, ConsumerRecord<String, byte[]>> scored = new HashMap<>();
          kafka.readAll(scoredTopic, 3, Duration.ofSeconds(1)).forEach(r -> scored.put(r.key(), r));
          assertThat(scored).containsOnlyKeys("x:traced", "x:unsampled", "x:untraced");
          assertThat(EventJson.read(scored.get("x:traced").value(), ScoredPost.class).tier())
              .as("escalated through the gateway").isEqualTo(ScoredBy.LLM);
          String[] carried = header(scored.get("x:traced")).split("-");
          assertThat(carried[1]).as("the scored record continues the ingest trace").isEqualTo(traceId);
          assertThat(carried[2]).as("from the score span, not the ingester's").isNotEqualTo(ingestSpanId);
          assertThat(carried[3]).isEqualTo("01");
          scoreSpanId = carried[2];
          String[] unsampledCarried = header(scored.get("x:unsampled")).split("-");
          assertThat(unsampledCarried[1]).isEqualTo(unsampledTrace);
          assertThat(unsampledCarried[3]).as("not sampled at ingest: not sampled downstream").isEqualTo("00");
          assertThat(scored.get("x:untraced").headers().lastHeader("traceparent")).isNull();
          ConsumerRecord<String, byte[]> dead = kafka.readAll(deadTopic, 1, Duration.ofSeconds(1)).get(0);
          assertThat(header(dead)).as("the dead letter carries its record's ingest trace")
              .startsWith("00-" + ingestInvalid.getSpanContext().getTraceId() + "-");
          assertThat(callTraceparents).as("the gateway call carries the traced post's score span (only it)")
              .containsExactly("00-" + traceId + "-" + scoreSpanId + "-01");

          // 4. The dashboard's push span continues the scored record's trace.
          dashboard.start("dashboard push", scored.get("x:traced").headers(), PIPELINE, FEED, "X").end();
        } finally {
          gateway.stop(0);
        }
      } finally {
        ExecutorTracing.flush();
        System.clearProperty(PulseTracing.ENDPOINT_PROPERTY);
        System.clearProperty(PulseTracing.RATIO_PROPERTY);
      }

      // 5. Jaeger holds the one trace: ingest → score → llm classify, dashboard push; attributes, no text or id.
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      JsonNode trace = null;
      Map<String, JsonNode> byName = new HashMap<>();
      while (System.nanoTime() < deadline) {
        trace = traceOrNull(jaeger, traceId);
        byName.clear();
        if (trace != null) trace.path("spans").forEach(s -> byName.put(s.path("operationName").asText(), s));
        if (byName.size() >= 4) break;
        Thread.sleep(500);
      }
      assertThat(byName).as("the trace's spans").containsOnlyKeys("ingest", "score", "llm classify",
          "dashboard push");
      assertThat(trace.path("spans")).hasSize(4);
      TreeSet<String> services = new TreeSet<>();
      trace.path("processes").forEach(p -> services.add(p.path("serviceName").asText()));
      assertThat(services).containsExactly("pulse-dashboard", "pulse-ingester", "pulse-llm-gateway", "pulse-stream");
      JsonNode score = byName.get("score");
      assertThat(score.path("spanID").asText()).isEqualTo(scoreSpanId);
      assertThat(parentOf(score)).as("score is the ingest span's child").isEqualTo(ingestSpanId);
      assertThat(parentOf(byName.get("llm classify"))).isEqualTo(scoreSpanId);
      assertThat(parentOf(byName.get("dashboard push"))).isEqualTo(scoreSpanId);
      assertThat(tags(score)).containsEntry("pulse.pipeline", PIPELINE).containsEntry("pulse.feed", FEED)
          .containsEntry("pulse.source", "X").containsEntry("pulse.tier", "LLM");
      assertThat(trace.toString()).as("no post text or id in the trace").doesNotContain("grounded")
          .doesNotContain("x:traced");
      assertThat(traceOrNull(jaeger, unsampledTrace)).as("no span for the post the ingester did not sample")
          .isNull();
    }
  }

  /** The gateway's front: the "llm classify" span from the call's headers (GatewayTracing), then the stand-in. */
  private static HttpServer gatewayFront(GatewayStandIn standIn, PulseTracing tracing, List<String> traceparents)
      throws IOException {
    HttpClient http = HttpClient.newHttpClient();
    HttpServer front = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    front.createContext("/v1/classify", ex -> {
      byte[] body = ex.getRequestBody().readAllBytes();
      String traceparent = ex.getRequestHeaders().getFirst("traceparent");
      if (traceparent != null) traceparents.add(traceparent);
      Span span = tracing.startCall("llm classify", ex.getRequestHeaders()::getFirst, PIPELINE);
      try {
        HttpResponse<byte[]> answer = http.send(HttpRequest.newBuilder(URI.create(standIn.url() + "/v1/classify"))
            .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
            HttpResponse.BodyHandlers.ofByteArray());
        ex.getResponseHeaders().add("Content-Type", "application/json");
        ex.sendResponseHeaders(answer.statusCode(), answer.body().length);
        ex.getResponseBody().write(answer.body());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        ex.sendResponseHeaders(500, -1);
      } finally {
        span.end();
        ex.close();
      }
    });
    front.start();
    return front;
  }

  private static ProducerRecord<String, byte[]> post(String topic, String id, Instant at) {
    Post p = Post.of(id, Source.X, FEED, "h", TEXT, "en", at, at, null, null, null);
    return new ProducerRecord<>(topic, null, at.toEpochMilli(), id, EventJson.toBytes(p));
  }

  private static KafkaProducer<String, byte[]> producer(String bootstrap) {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    return new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
  }

  private static String header(ConsumerRecord<String, byte[]> r) {
    Header h = r.headers().lastHeader("traceparent");
    assertThat(h).as("traceparent on " + r.topic() + " record " + r.key()).isNotNull();
    return new String(h.value(), StandardCharsets.UTF_8);
  }

  /** The trace from Jaeger's query API, or null while it has none under that id (HTTP 404). */
  private static JsonNode traceOrNull(JaegerServer jaeger, String traceId) throws Exception {
    try {
      JsonNode data = jaeger.get("/api/traces/" + traceId).path("data");
      return data.size() == 0 ? null : data.get(0);
    } catch (IllegalStateException e) {
      if (e.getMessage().startsWith("Jaeger answered 404")) return null;
      throw e;
    }
  }

  private static String parentOf(JsonNode span) {
    for (JsonNode ref : span.path("references")) {
      if (ref.path("refType").asText().equals("CHILD_OF")) return ref.path("spanID").asText();
    }
    return null;
  }

  private static Map<String, String> tags(JsonNode span) {
    Map<String, String> tags = new HashMap<>();
    span.path("tags").forEach(t -> tags.put(t.path("key").asText(), t.path("value").asText()));
    return tags;
  }
}
