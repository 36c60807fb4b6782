package dev.pulse.dashboard.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pulse.dashboard.KafkaTestSupport;
import dev.pulse.dashboard.Records;
import dev.pulse.dashboard.status.FeedHealth;
import dev.pulse.event.Aggregate;
import dev.pulse.event.Alert;
import dev.pulse.event.ScoredPost;
import dev.pulse.testsupport.kafka.KafkaTopics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** An Error escaping the listener ends the consumer thread: health then says DOWN, with the cause. */
class ConsumerThreadDeathTest {
  @Test
  void aDeadConsumerThreadIsReportedDown() throws Exception {
    String bootstrap = KafkaTestSupport.broker().bootstrapServers();
    String prefix = "pulse.pipeline.test.threaddeath.";
    KafkaTopics.ensure(bootstrap, List.of(prefix + "scored", prefix + "aggregates", prefix + "alerts"), 1);
    PipelineListener poisoned = new PipelineListener() {
      @Override
      public void onScoredPost(ScoredPost post) {}

      @Override
      public void onAggregate(Aggregate aggregate) {
        throw new StackOverflowError("simulated");
      }

      @Override
      public void onAlert(Alert alert) {}
    };
    OutputTopicsConsumer consumer = new OutputTopicsConsumer(bootstrap, prefix + "scored", prefix + "aggregates",
        prefix + "alerts", true, Duration.ofHours(1), Clock.systemUTC(), poisoned, new SimpleMeterRegistry(),
        Duration.ofSeconds(30));
    consumer.start();
    try {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (consumer.feedHealth().state() != FeedHealth.State.UP && System.nanoTime() < deadline) {
        Thread.sleep(100);
      }
      assertThat(consumer.feedHealth().state()).isEqualTo(FeedHealth.State.UP);
      KafkaTestSupport.send(prefix + "aggregates", "a", Records.aggregate("threaddeath", Instant.now(), "*", "*",
          1, 1, 1, 0.0, List.of()));
      while (consumer.feedHealth().state() != FeedHealth.State.DOWN && System.nanoTime() < deadline) {
        Thread.sleep(100);
      }
      FeedHealth h = consumer.feedHealth();
      assertThat(h.state()).isEqualTo(FeedHealth.State.DOWN);
      assertThat(h.message()).contains("consumer thread stopped").contains("StackOverflowError");
    } finally {
      consumer.stop();
    }
  }
}
