package dev.pulse.observability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pulse.testsupport.kafka.KafkaTopics;
import dev.pulse.testsupport.kafka.LocalKafka;
import dev.pulse.testsupport.observe.JaegerServer;
import dev.pulse.tracing.PulseTracing;
import io.opentelemetry.api.trace.Span;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeSet;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * A real Jaeger (all-in-one v1.75.0, built from its Go module by hack/observability/build-jaeger.sh) receives over
 * OTLP/HTTP the spans of four stages whose trace context travels as W3C traceparent in the headers of real Kafka
 * records (the in-JVM broker) and in the headers of a real HTTP call to the LLM gateway's endpoint, and its query API
 * returns the one trace: ingest → score → llm classify (linked to the batch's other traced post, as
 * llm-runtime's GatewayTracing filter makes it) → dashboard push, in four services, with the pipeline, feed and source
 * as attributes and no post text or id.
 */
class JaegerTraceTest {
  @Test
  void oneTraceFromIngestThroughTheGatewayToDashboardPushReachesJaeger() throws Exception {
    try (JaegerServer jaeger = JaegerServer.start(); LocalKafka kafka = LocalKafka.start()) {
      Map<String, String> env = Map.of(PulseTracing.ENDPOINT_ENV, jaeger.otlpEndpoint(),
          PulseTracing.RATIO_ENV, "1.0");
      String traceId;
      String linkedTraceId;
      KafkaTopics.ensure(kafka.bootstrapServers(), List.of("feed", "scored"), 1);
      try (PulseTracing ingester = PulseTracing.fromEnvironment("pulse-ingester", env);
          PulseTracing stream = PulseTracing.fromEnvironment("pulse-stream", env);
          PulseTracing dashboard = PulseTracing.fromEnvironment("pulse-dashboard", env);
          KafkaProducer<String, String> producer = producer(kafka.bootstrapServers())) {
        ProducerRecord<String, String> post = new ProducerRecord<>("feed", "rss:1", "{\"text\":\"flight grounded\"}");
        Span ingest = ingester.start("ingest", null, null, "northwind-news", "RSS");
        PulseTracing.inject(ingest, post.headers());
        producer.send(post).get();
        ingest.end();
        traceId = ingest.getSpanContext().getTraceId();

        ConsumerRecord<String, String> read = readOne(kafka.bootstrapServers(), "feed");
        Span score = stream.start("score", read.headers(), "northwind", "northwind-news", "RSS");
        // The post is escalated: the stream core's batch call to the LLM gateway carries its score span as
        // traceparent and another traced post of the batch as a link; the gateway's filter makes the call's span.
        Span other = stream.start("score", null, "northwind", "northwind-reddit", "REDDIT");
        linkedTraceId = other.getSpanContext().getTraceId();
        try (PulseTracing gatewayTracing = PulseTracing.fromEnvironment("pulse-llm-gateway", env)) {
          // The gateway's side as llm-runtime's GatewayTracing filter does it (tested there with the servlet API):
          // startCall reads the call's headers, here over real HTTP.
          com.sun.net.httpserver.HttpServer gateway = com.sun.net.httpserver.HttpServer.create(
              new java.net.InetSocketAddress("127.0.0.1", 0), 0);
          gateway.createContext("/v1/classify", exchange -> {
            exchange.getRequestBody().readAllBytes();
            gatewayTracing.startCall("llm classify", exchange.getRequestHeaders()::getFirst, "northwind").end();
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
          });
          gateway.start();
          try {
            java.net.http.HttpRequest.Builder call = java.net.http.HttpRequest.newBuilder(java.net.URI.create(
                "http://127.0.0.1:" + gateway.getAddress().getPort() + "/v1/classify"))
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(
                    "{\"pipeline\":\"northwind\",\"posts\":[{\"id\":\"rss:1\",\"text\":\"flight grounded\"}]}"));
            PulseTracing.callHeaders(List.of(score.getSpanContext(), other.getSpanContext())).forEach(call::header);
            assertThat(java.net.http.HttpClient.newHttpClient().send(call.build(),
                java.net.http.HttpResponse.BodyHandlers.discarding()).statusCode()).isEqualTo(200);
          } finally {
            gateway.stop(0);
          }
        }
        other.end();
        ProducerRecord<String, String> scored = new ProducerRecord<>("scored", read.key(), "{\"label\":\"NEGATIVE\"}");
        PulseTracing.inject(score, scored.headers());
        producer.send(scored).get();
        score.end();

        ConsumerRecord<String, String> shown = readOne(kafka.bootstrapServers(), "scored");
        dashboard.start("dashboard push", shown.headers(), "northwind", "northwind-news", "RSS").end();
      }

      String id = traceId;
      String linked = linkedTraceId;
      await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
        JsonNode trace = jaeger.get("/api/traces/" + id).path("data").get(0);
        TreeSetOf names = new TreeSetOf();
        trace.path("spans").forEach(s -> names.add(s.path("operationName").asText()));
        assertThat(names).containsExactly("dashboard push", "ingest", "llm classify", "score");
        TreeSetOf services = new TreeSetOf();
        trace.path("processes").forEach(p -> services.add(p.path("serviceName").asText()));
        assertThat(services).containsExactly("pulse-dashboard", "pulse-ingester", "pulse-llm-gateway", "pulse-stream");
        for (JsonNode span : trace.path("spans")) {
          Map<String, String> tags = new java.util.HashMap<>();
          span.path("tags").forEach(t -> tags.put(t.path("key").asText(), t.path("value").asText()));
          assertThat(tags.values()).noneMatch(v -> v.contains("grounded")).noneMatch(v -> v.equals("rss:1"));
          if (span.path("operationName").asText().equals("llm classify")) {
            // A batch spans feeds: the gateway's span names the pipeline and the batch, and links the other post.
            assertThat(tags).containsEntry("pulse.pipeline", "northwind");
            TreeSetOf referenced = new TreeSetOf();
            span.path("references").forEach(r -> referenced.add(r.path("traceID").asText()));
            assertThat(referenced).contains(id, linked);
          } else {
            assertThat(tags).containsEntry("pulse.feed", "northwind-news").containsEntry("pulse.source", "RSS");
          }
        }
      });
    }
  }

  /** A sorted set, for readable failures. */
  private static final class TreeSetOf extends TreeSet<String> {}

  private static KafkaProducer<String, String> producer(String bootstrap) {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    return new KafkaProducer<>(p, new StringSerializer(), new StringSerializer());
  }

  private static ConsumerRecord<String, String> readOne(String bootstrap, String topic) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ConsumerConfig.GROUP_ID_CONFIG, "trace-test-" + topic);
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    try (KafkaConsumer<String, String> c = new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer())) {
      c.subscribe(List.of(topic));
      long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
      while (System.nanoTime() < deadline) {
        for (ConsumerRecord<String, String> r : c.poll(Duration.ofMillis(500))) {
          return r;
        }
      }
    }
    throw new AssertionError("no record on " + topic + " within a minute");
  }
}
