package dev.pulse.operator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pulse.crd.common.PulseCondition;
import dev.pulse.operator.support.Conditions;
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

  @Test
  void readyNamesThePartToActOnFirstThenAPauseThenWhatIsOnItsWay() {
    var pending = Conditions.of("Topic", false, "TopicPending", "waiting for Strimzi");
    var suspended = Conditions.of("Ingester", false, "Suspended", "scaled to 0");
    var missing = Conditions.of("Ingester", false, "SecretMissing", "create Secret x-api");
    var ok = Conditions.of("Topic", true, "TopicReady", "ready");

    assertThat(Conditions.ready(List.of(pending, missing), "all good").getReason()).isEqualTo("SecretMissing");
    assertThat(Conditions.ready(List.of(pending, suspended), "all good").getReason()).isEqualTo("Suspended");
    assertThat(Conditions.ready(List.of(pending), "all good").getMessage()).isEqualTo("waiting for Strimzi");
    PulseCondition ready = Conditions.ready(List.of(ok), "all good");
    assertThat(ready.holds()).isTrue();
    assertThat(ready.getMessage()).isEqualTo("all good");
  }

  @Test
  void aTransitionIsAChangedStatusOrReasonNotAChangedMessage() {
    List<PulseCondition> before = Conditions.merge(null, List.of(
        Conditions.of("Topic", false, "TopicPending", "waiting"),
        Conditions.of("Ingester", false, "IngesterPending", "0 of 1 ready")), 1, t1);
    List<PulseCondition> after = Conditions.merge(before, List.of(
        Conditions.of("Topic", true, "TopicReady", "ready"),
        Conditions.of("Ingester", false, "IngesterPending", "still 0 of 1 ready")), 1, t2);

    assertThat(Conditions.transitions(before, after)).extracting(PulseCondition::getReason).containsExactly("TopicReady");
    assertThat(Conditions.transitions(null, before)).hasSize(2);
    assertThat(Conditions.eventType(Conditions.of("Ingester", false, "SecretMissing", ""))).isEqualTo("Warning");
    assertThat(Conditions.eventType(Conditions.of("Topic", false, "TopicPending", ""))).isEqualTo("Normal");
    assertThat(Conditions.eventType(Conditions.of("Topic", true, "TopicReady", ""))).isEqualTo("Normal");
  }
}
