package dev.pulse.testsupport.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Test;

/** Topics made with configs keep them (./pulse local's compacted labelled topic stands on it). */
class KafkaTopicsTest {
  @Test
  void createsMissingTopicsWithTheGivenConfigsAndLeavesExistingOnesAlone() throws Exception {
    try (EmbeddedKafka kafka = EmbeddedKafka.start();
        Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
      KafkaTopics.ensure(kafka.bootstrapServers(), List.of("plain"), 1);
      KafkaTopics.ensure(kafka.bootstrapServers(), List.of("labels", "plain"), 1, Map.of("cleanup.policy", "compact"));

      assertThat(policy(admin, "labels")).isEqualTo("compact");
      assertThat(policy(admin, "plain")).as("an existing topic is not changed").isEqualTo("delete");
    }
  }

  private static String policy(Admin admin, String topic) throws Exception {
    ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
    return admin.describeConfigs(List.of(resource)).all().get(30, TimeUnit.SECONDS).get(resource)
        .get("cleanup.policy").value();
  }
}
