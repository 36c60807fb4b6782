package dev.pulse.spark.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pulse.testsupport.kafka.EmbeddedKafka;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** Against a real (embedded KRaft) broker. */
class InputTopicsTest {

  private final EmbeddedKafka kafka = EmbeddedKafka.shared();

  @Test
  void waitsForATopicMadeLaterAndNamesOneThatNeverCame() throws Exception {
    kafka.createTopic("input-topics-there", 1);
    CompletableFuture<List<String>> waiting = CompletableFuture.supplyAsync(() -> InputTopics.await(
        kafka.bootstrapServers(), List.of("input-topics-there", "input-topics-later"), Duration.ofMinutes(2)));
    Thread.sleep(3_000);
    assertThat(waiting).as("still waiting for the second topic").isNotDone();
    kafka.createTopic("input-topics-later", 1);
    assertThat(waiting.get()).as("nothing missing once it exists").isEmpty();

    assertThat(InputTopics.await(kafka.bootstrapServers(), List.of("input-topics-there", "input-topics-never"),
        Duration.ofSeconds(3))).containsExactly("input-topics-never");
  }
}
