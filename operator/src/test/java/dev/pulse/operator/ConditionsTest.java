package dev.pulse.operator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pulse.crd.common.PulseCondition;
import dev.pulse.operator.reconcile.Conditions;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConditionsTest {

  private final Clock t1 = Clock.fixed(Instant.parse("2026-11-24T10:00:00Z"), ZoneOffset.UTC);
  private final Clock t2 = Clock.fixed(Instant.parse("2026-11-24T10:05:00Z"), ZoneOffset.UTC);

  @Test
  void transitionTimeMovesOnlyWhenTheStatusFlips() {
    List<PulseCondition> first = Conditions.merge(null,
        List.of(Conditions.of("Ready", false, "TopicNotReady", "waiting for the KafkaTopic")), 1, t1);
    List<PulseCondition> sameStatusNewMessage = Conditions.merge(first,
        List.of(Conditions.of("Ready", false, "IngesterNotReady", "waiting for the ingester")), 2, t2);
    List<PulseCondition> flipped = Conditions.merge(sameStatusNewMessage,
        List.of(Conditions.of("Ready", true, "Ready", "posts are flowing")), 2, t2);

    assertThat(first.get(0).getLastTransitionTime()).isEqualTo("2026-11-24T10:00:00Z");
    assertThat(sameStatusNewMessage.get(0).getLastTransitionTime()).isEqualTo("2026-11-24T10:00:00Z");
    assertThat(sameStatusNewMessage.get(0).getObservedGeneration()).isEqualTo(2L);
    assertThat(flipped.get(0).getLastTransitionTime()).isEqualTo("2026-11-24T10:05:00Z");
  }

  @Test
  void mergingTheSameObservationTwiceIsIdentical() {
    List<PulseCondition> observed = List.of(Conditions.of("Ready", true, "Ready", "ok"));
    List<PulseCondition> once = Conditions.merge(null, observed, 3, t1);
    List<PulseCondition> twice = Conditions.merge(once, observed, 3, t2);
    assertThat(twice).isEqualTo(once);
  }
}
