package dev.pulse.dashboard;

import static dev.pulse.dashboard.KafkaTestSupport.AGGREGATES;
import static dev.pulse.dashboard.KafkaTestSupport.ALERTS;
import static dev.pulse.dashboard.KafkaTestSupport.PIPELINE;
import static dev.pulse.dashboard.KafkaTestSupport.SCORED;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pulse.dashboard.history.RecentHistory;
import dev.pulse.event.Label;
import dev.pulse.event.Source;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * An analyst corrects a post's label through the API (with the dashboard's bearer token, as in a cluster) and the
 * correction lands on the pipeline's labelled topic, on a real Kafka broker, as a line of the trainer's dataset.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
    "pulse.dashboard.mode=cluster",
    "pulse.dashboard.auth.token=s3cret-token",
    "pulse.dashboard.pipeline=" + PIPELINE,
    "pulse.dashboard.kafka.scored-topic=" + SCORED,
    "pulse.dashboard.kafka.aggregates-topic=" + AGGREGATES,
    "pulse.dashboard.kafka.alerts-topic=" + ALERTS,
    "pulse.dashboard.vectors.embedder=none"})
class CorrectionsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String LABELLED = "pulse.pipeline.test.northwind.labelled";
  private final HttpClient http = HttpClient.newHttpClient();

  @LocalServerPort
  int port;

  @Autowired
  RecentHistory history;

  @DynamicPropertySource
  static void kafka(DynamicPropertyRegistry registry) {
    registry.add("pulse.dashboard.kafka.bootstrap-servers", () -> KafkaTestSupport.broker().bootstrapServers());
  }

  private HttpResponse<String> post(String path, String body, String token) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
    if (token != null) b.header("Authorization", "Bearer " + token);
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void anAnalystsCorrectionIsWrittenToTheLabelledTopicWithTheToken() throws Exception {
    // As the operator would create it beside the scored topic (auto-creation races the leader election).
    dev.pulse.testsupport.kafka.KafkaTopics.ensure(KafkaTestSupport.broker().bootstrapServers(), List.of(LABELLED), 1);
    String id = "x:" + UUID.randomUUID();
    KafkaTestSupport.send(SCORED, id, Records.scored(id, Source.X, "northwind air lost my bag again", Label.NEUTRAL,
        0.05, null));
    long until = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (history.post(id).isEmpty()) {
      assertThat(System.nanoTime()).as("the post reaches the dashboard").isLessThan(until);
      Thread.sleep(50);
    }
    String path = "/api/pipelines/" + PIPELINE + "/posts/" + id + "/label";

    assertThat(post(path, "{\"label\":\"negative\"}", null).statusCode()).as("no token").isEqualTo(401);
    assertThat(post(path, "{\"label\":\"furious\"}", "s3cret-token").statusCode()).isEqualTo(400);
    assertThat(post("/api/pipelines/" + PIPELINE + "/posts/x:nobody/label", "{\"label\":\"negative\"}",
        "s3cret-token").statusCode()).isEqualTo(404);
    HttpResponse<String> ok = post(path, "{\"label\":\"negative\"}", "s3cret-token");
    assertThat(ok.statusCode()).isEqualTo(202);
    assertThat(JSON.readTree(ok.body()).path("topic").asText()).isEqualTo(LABELLED);

    JsonNode example = JSON.readTree(readOne(id).value());
    assertThat(example.path("text").asText()).isEqualTo("northwind air lost my bag again");
    assertThat(example.path("label").asText()).isEqualTo("negative");
    assertThat(example.path("source").asText()).isEqualTo("analyst");
    assertThat(example.path("analyst").asText()).isEqualTo("dashboard-client");
    assertThat(example.path("was").asText()).isEqualTo("neutral");
  }

  private static ConsumerRecord<String, byte[]> readOne(String key) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaTestSupport.broker().bootstrapServers());
    p.put(ConsumerConfig.GROUP_ID_CONFIG, "corrections-test-" + UUID.randomUUID());
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(p, new StringDeserializer(),
        new ByteArrayDeserializer())) {
      c.subscribe(List.of(LABELLED));
      List<ConsumerRecord<String, byte[]>> seen = new ArrayList<>();
      long until = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (System.nanoTime() < until) {
        c.poll(Duration.ofMillis(200)).forEach(seen::add);
        for (ConsumerRecord<String, byte[]> r : seen) if (key.equals(r.key())) return r;
      }
      throw new AssertionError("no record for " + key + " on " + LABELLED + " within 60 s");
    }
  }
}
