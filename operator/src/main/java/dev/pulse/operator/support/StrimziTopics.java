package dev.pulse.operator.support;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.strimzi.api.kafka.model.topic.KafkaTopic;

/**
 * KafkaTopics in whichever version the cluster's Strimzi serves. Pulse's model is Strimzi's {@code kafka.strimzi.io/v1}
 * (Strimzi 0.49 and later); Strimzi before 0.49 serves only {@code v1beta2}, whose KafkaTopic has the same spec and
 * status fields Pulse uses (partitions, replicas, config, topicName; conditions, observedGeneration). So a topic is
 * built once with the model and written as a generic object of the served version.
 */
public final class StrimziTopics {

  public static final String GROUP = "kafka.strimzi.io";
  public static final String MODEL_VERSION = "v1";

  private StrimziTopics() {}

  /** The object to apply for {@code topic} when the cluster serves KafkaTopic in {@code version}. */
  public static HasMetadata inVersion(KafkaTopic topic, String version, KubernetesClient client) {
    if (MODEL_VERSION.equals(version)) {
      return topic;
    }
    KubernetesSerialization serialization = client.getKubernetesSerialization();
    GenericKubernetesResource generic = serialization.convertValue(topic, GenericKubernetesResource.class);
    generic.setApiVersion(GROUP + "/" + version);
    return generic;
  }

  /** Reads an applied or cached KafkaTopic of any served version through Pulse's model. */
  public static KafkaTopic read(HasMetadata served, KubernetesClient client) {
    if (served instanceof KafkaTopic topic) {
      return topic;
    }
    // The model's apiVersion is fixed to v1 (CustomResource ignores setApiVersion): callers that report the
    // version take it from the served object.
    return client.getKubernetesSerialization().convertValue(served, KafkaTopic.class);
  }
}
