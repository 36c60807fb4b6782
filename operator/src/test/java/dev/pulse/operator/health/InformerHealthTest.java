package dev.pulse.operator.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.health.Status;

/** Liveness from the informers' health: DOWN only after a healthy informer stayed unhealthy for the grace period. */
class InformerHealthTest {

  private final AtomicReference<Map<String, ? extends Map<String, ?>>> state = new AtomicReference<>();
  private Instant now = Instant.parse("2026-12-06T10:00:00Z");

  private final InformerHealth health = new InformerHealth(state::get, Duration.ofMinutes(2), new Clock() {
    @Override public ZoneOffset getZone() { return ZoneOffset.UTC; }
    @Override public Clock withZone(java.time.ZoneId zone) { return this; }
    @Override public Instant instant() { return now; }
  });

  private static final Map<String, Map<String, String>> BROKEN =
      Map.of("sentimentpipeline", Map.of("SentimentPipeline-Deployment", "UNHEALTHY"), "sourcefeed", Map.of());

  @Test
  void aStandbyOrStartingOperatorIsAlive() {
    state.set(null);
    assertThat(health.health().getStatus()).isEqualTo(Status.UP);
    state.set(BROKEN); // never healthy yet: still syncing
    now = now.plus(Duration.ofMinutes(10));
    assertThat(health.health().getStatus()).isEqualTo(Status.UP);
  }

  @Test
  void brokenInformersTurnLivenessDownAfterTheGracePeriodAndRecover() {
    state.set(Map.of("sentimentpipeline", Map.of()));
    assertThat(health.health().getStatus()).isEqualTo(Status.UP);
    state.set(BROKEN);
    assertThat(health.health().getStatus()).as("a broken watch reconnects: give it time").isEqualTo(Status.UP);
    now = now.plus(Duration.ofSeconds(119));
    assertThat(health.health().getStatus()).isEqualTo(Status.UP);
    now = now.plus(Duration.ofSeconds(1));
    var down = health.health();
    assertThat(down.getStatus()).isEqualTo(Status.DOWN);
    assertThat(down.getDetails().toString()).contains("SentimentPipeline-Deployment");
    state.set(Map.of("sentimentpipeline", Map.of()));
    assertThat(health.health().getStatus()).isEqualTo(Status.UP);
  }
}
