package dev.pulse.e2e;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import java.util.List;

/** How the pulse-kafka image is configured (see hack/images/README.md): data directory and advertised host. */
final class KafkaImage {

  static final String DATA_DIR = "/var/lib/kafka";

  private KafkaImage() {}

  static String reference() {
    return "ghcr.io/pulse-dev/pulse-kafka:" + System.getProperty("pulse.version", "0.1.0-SNAPSHOT");
  }

  static List<EnvVar> env() {
    return List.of(new EnvVarBuilder().withName("KAFKA_ADVERTISED_HOST").withNewValueFrom().withNewFieldRef()
        .withFieldPath("status.podIP").endFieldRef().endValueFrom().build(),
        new EnvVarBuilder().withName("KAFKA_DATA_DIR").withValue(DATA_DIR + "/data").build());
  }
}
