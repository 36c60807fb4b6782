package dev.pulse.spark;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class QuerySupervisorTest {

  private static final class Ticking extends Clock {
    Instant now = Instant.parse("2026-12-06T08:00:00Z");
    @Override public ZoneOffset getZone() { return ZoneOffset.UTC; }
    @Override public Clock withZone(java.time.ZoneId zone) { return this; }
    @Override public Instant instant() { return now; }
  }

  @Test
  void restartsAreBoundedWithinTheWindowAndAllowedAgainAfterIt() {
    Ticking clock = new Ticking();
    QuerySupervisor.RestartBudget budget = new QuerySupervisor.RestartBudget(3, Duration.ofMinutes(10), clock);
    assertThat(budget.allow()).isTrue();
    clock.now = clock.now.plusSeconds(60);
    assertThat(budget.allow()).isTrue();
    assertThat(budget.allow()).isTrue();
    assertThat(budget.allow()).as("a fourth within ten minutes").isFalse();
    clock.now = clock.now.plus(Duration.ofMinutes(10)).plusSeconds(1);
    assertThat(budget.allow()).as("the old restarts left the window").isTrue();
  }
}
