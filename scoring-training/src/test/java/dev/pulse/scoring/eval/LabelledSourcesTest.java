package dev.pulse.scoring.eval;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pulse.event.Label;
import dev.pulse.scoring.cli.ScoringCli;
import dev.pulse.testsupport.kafka.KafkaTopics;
import dev.pulse.testsupport.kafka.LocalKafka;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The labelled topic as train-scorer and a ModelAdapter's dataset read it, from a real broker: one example per post,
 * an analyst's later correction winning over the LLM's verdict.
 */
class LabelledSourcesTest {
  private static final String TOPIC = "pulse.pipeline.test.acme.labelled";

  @TempDir Path dir;

  @Test
  void theLabelledTopicIsReadToItsEndWithTheLatestRecordPerPost() throws Exception {
    try (LocalKafka kafka = LocalKafka.start()) {
      KafkaTopics.ensure(kafka.bootstrapServers(), List.of(TOPIC), 2);
      Properties p = new Properties();
      p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
      try (KafkaProducer<String, String> producer = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
        producer.send(new ProducerRecord<>(TOPIC, "x:1", "{\"postId\":\"x:1\",\"text\":\"lost my bag\",\"label\":\"negative\","
            + "\"source\":\"llm\",\"lightLabel\":\"neutral\",\"lightConfidence\":0.4,\"rationale\":\"a lost bag\"}")).get();
        producer.send(new ProducerRecord<>(TOPIC, "x:2", "{\"postId\":\"x:2\",\"text\":\"crew were lovely\","
            + "\"label\":\"positive\",\"source\":\"llm\",\"lightLabel\":\"neutral\",\"lightConfidence\":0.5}")).get();
        producer.send(new ProducerRecord<>(TOPIC, "x:1", "{\"postId\":\"x:1\",\"text\":\"lost my bag\",\"label\":\"neutral\","
            + "\"source\":\"analyst\",\"was\":\"negative\"}")).get();
      }
      String source = "kafka://" + kafka.bootstrapServers() + "/" + TOPIC;

      List<LabelledPost> posts = LabelledSources.read(source);
      assertThat(posts).extracting(LabelledPost::text, LabelledPost::label).containsExactlyInAnyOrder(
          org.assertj.core.groups.Tuple.tuple("lost my bag", Label.NEUTRAL),
          org.assertj.core.groups.Tuple.tuple("crew were lovely", Label.POSITIVE));

      // ./pulse train-scorer --labelled SOURCE --export-labelled FILE: the ModelAdapter's dataset, no training.
      Path file = dir.resolve("adapter-data.jsonl");
      StringWriter out = new StringWriter();
      var cli = ScoringCli.newCommandLine();
      cli.setOut(new PrintWriter(out));
      assertThat(cli.execute("train-scorer", "--labelled", source, "--export-labelled", file.toString())).isZero();
      List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
      assertThat(lines).hasSize(2);
      ObjectMapper json = new ObjectMapper();
      assertThat(lines).extracting(l -> json.readTree(l).path("source").asText()).containsExactlyInAnyOrder("llm",
          "analyst");
      assertThat(LabelledSources.read(file.toString())).hasSize(2);
    }
  }
}
