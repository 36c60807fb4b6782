package dev.pulse.operator.support;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class OwnedNamesTest {

  private static final String DNS_1035 = "[a-z]([-a-z0-9]{0,61}[a-z0-9])?";

  @Test
  void namesThatFitAreKeptSoExistingObjectsKeepTheirNames() {
    assertThat(OwnedNames.child("northwind", "vllm")).isEqualTo("northwind-vllm");
    assertThat(OwnedNames.labelValue("north.wind")).isEqualTo("north.wind");
    assertThat(OwnedNames.topic("pulse.feed.ns.northwind", "")).isEqualTo("pulse.feed.ns.northwind");
  }

  @Test
  void ownersThatDifferOnlyInWhatIsReplacedGetDifferentNames() {
    assertThat(OwnedNames.child("a.b", "vllm")).matches(DNS_1035).isNotEqualTo(OwnedNames.child("a-b", "vllm"));
    assertThat(OwnedNames.child("1abc", "vllm")).matches(DNS_1035).startsWith("p1abc-")
        .isNotEqualTo(OwnedNames.child("p1abc", "vllm"));
    String longName = "x".repeat(100);
    assertThat(OwnedNames.labelValue(longName)).hasSize(63)
        .isNotEqualTo(OwnedNames.labelValue(longName + "y"));
    assertThat(OwnedNames.topic("t".repeat(300), ".scored")).hasSizeLessThanOrEqualTo(249).endsWith(".scored");
  }

  @Test
  void aLongerLimitLeavesRoomForWhatOthersAppend() {
    assertThat(OwnedNames.child("s".repeat(80), "stream", 56)).hasSizeLessThanOrEqualTo(56).matches(DNS_1035);
  }
}
