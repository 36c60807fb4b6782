package dev.pulse.observability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pulse.testsupport.kafka.KafkaTopics;
import dev.pulse.testsupport.kafka.LocalKafka;
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
 * OTLP/HTTP the spans of three stages whose trace context travels as W3C traceparent in the headers of real Kafka
 * records (the in-JVM broker), and its query API returns the one trace: ingest → score → dashboard push, in three
 * services, with the pipeline, feed and source as attributes and no post text. This proves {@link PulseTracing} and the
 * Jaeger build; the components do not call PulseTracing yet (tracing/README.md).
 */
class JaegerTraceTest {
  @Test
  void oneTraceFromIngestToDashboardPushReachesJaeger() throws Exception {
    try (JaegerServer jaeger = JaegerServer.start(); LocalKafka kafka = LocalKafka.start()) {
      Map<String, String> env = Map.of(PulseTracing.ENDPOINT_ENV, jaeger.otlpEndpoint(),
          PulseTracing.RATIO_ENV, "1.0");
      String traceId;
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
        ProducerRecord<String, String> scored = new ProducerRecord<>("scored", read.key(), "{\"label\":\"NEGATIVE\"}");
        PulseTracing.inject(score, scored.headers());
        producer.send(scored).get();
        score.end();

        ConsumerRecord<String, String> shown = readOne(kafka.bootstrapServers(), "scored");
        dashboard.start("dashboard push", shown.headers(), "northwind", "northwind-news", "RSS").end();
      }

      String id = traceId;
      await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
        JsonNode trace = jaeger.get("/api/traces/" + id).path("data").get(0);
        TreeSetOf names = new TreeSetOf();
        trace.path("spans").forEach(s -> names.add(s.path("operationName").asText()));
        assertThat(names).containsExactly("dashboard push", "ingest", "score");
        TreeSetOf services = new TreeSetOf();
        trace.path("processes").forEach(p -> services.add(p.path("serviceName").asText()));
        assertThat(services).containsExactly("pulse-dashboard", "pulse-ingester", "pulse-stream");
        for (JsonNode span : trace.path("spans")) {
          Map<String, String> tags = new java.util.HashMap<>();
          span.path("tags").forEach(t -> tags.put(t.path("key").asText(), t.path("value").asText()));
          assertThat(tags).containsEntry("pulse.feed", "northwind-news").containsEntry("pulse.source", "RSS");
          assertThat(tags.values()).noneMatch(v -> v.contains("grounded"));
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
