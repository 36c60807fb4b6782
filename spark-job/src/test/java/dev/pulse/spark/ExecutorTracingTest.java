package dev.pulse.spark;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pulse.tracing.PulseTracing;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The executor JVM's tracing: off without an endpoint, one instance while the settings stay, a new one when they
 * change, and a ratio the contract refuses leaves it off instead of failing the tasks.
 */
class ExecutorTracingTest {
  @BeforeEach
  void noEnvironment() {
    Assumptions.assumeTrue(System.getenv(PulseTracing.ENDPOINT_ENV) == null,
        "this JVM's environment sets " + PulseTracing.ENDPOINT_ENV);
  }

  @AfterEach
  void clear() {
    System.clearProperty(PulseTracing.ENDPOINT_PROPERTY);
    System.clearProperty(PulseTracing.RATIO_PROPERTY);
    ExecutorTracing.current(); // back to off for the next test in this JVM
  }

  @Test
  void offWithoutAnEndpointAndOncePerSettings() {
    assertThat(ExecutorTracing.current().enabled()).isFalse();
    // Nothing listens there: the export would fail quietly in the background; no span is made here anyway.
    System.setProperty(PulseTracing.ENDPOINT_PROPERTY, "http://127.0.0.1:9");
    PulseTracing on = ExecutorTracing.current();
    assertThat(on.enabled()).isTrue();
    assertThat(ExecutorTracing.current()).as("made once while the settings stay").isSameAs(on);
    System.setProperty(PulseTracing.RATIO_PROPERTY, "1.0");
    assertThat(ExecutorTracing.current()).as("new settings, a new one").isNotSameAs(on);
  }

  @Test
  void aRatioTheContractRefusesLeavesTracingOff() {
    System.setProperty(PulseTracing.ENDPOINT_PROPERTY, "http://127.0.0.1:9");
    System.setProperty(PulseTracing.RATIO_PROPERTY, "1.5");
    assertThat(ExecutorTracing.current().enabled()).isFalse();
  }
}
