package dev.pulse.operator.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class KafkaAddressesTest {

  @Test
  void aBareServiceNameIsTheResourcesNamespacesServiceOthersAreUsedAsTheyAre() {
    assertThat(KafkaAddresses.forOperator("pulse-kafka:9092", "apps")).isEqualTo("pulse-kafka.apps.svc:9092");
    assertThat(KafkaAddresses.forOperator("kafka-0.kafka:9092, kafka-1.kafka:9092", "apps"))
        .isEqualTo("kafka-0.kafka:9092,kafka-1.kafka:9092");
    assertThat(KafkaAddresses.forOperator("b-1.msk.eu-west-1.amazonaws.com:9092", "apps"))
        .isEqualTo("b-1.msk.eu-west-1.amazonaws.com:9092");
    assertThat(KafkaAddresses.forOperator("localhost:39092,10.0.0.7:9092", "apps")).isEqualTo("localhost:39092,10.0.0.7:9092");
    assertThat(KafkaAddresses.forOperator("a:1,b.x:2", "team-a")).isEqualTo("a.team-a.svc:1,b.x:2");
  }
}
