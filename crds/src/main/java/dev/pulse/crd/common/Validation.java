package dev.pulse.crd.common;

/**
 * CEL expressions and patterns shared by the CRDs, so every resource says the same thing about the same
 * mistake. The patterns are Kubernetes' own (apimachinery validation) for names and durations.
 */
public final class Validation {

  private Validation() {}

  /** DNS-1123 subdomain: Secret, ConfigMap and most object names. */
  public static final String DNS1123_SUBDOMAIN_RULE =
      "self.matches('^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$')";

  /** DNS-1123 label: names that become part of other names (Services, topics). */
  public static final String DNS1123_LABEL_PATTERN = "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$";

  /** A Go duration as CEL's duration() and Kubernetes accept it: 500ms, 30s, 5m, 1h30m. */
  public static final String DURATION_PATTERN = "^([0-9]+(\\.[0-9]+)?(ms|s|m|h))+$";

  public static final String DURATION_RULE =
      "self.matches('^([0-9]+(\\\\.[0-9]+)?(ms|s|m|h))+$')";

  public static final String DURATION_MESSAGE =
      "must be a duration such as 500ms, 30s, 5m or 1h30m (units: ms, s, m, h)";

  /** Kubernetes resource quantities (100m, 2, 512Mi, 4Gi) checked by the API server's own parser. */
  public static final String QUANTITY_RULE = "isQuantity(self)";

  public static final String QUANTITY_MESSAGE =
      "must be a Kubernetes quantity such as 500m, 2, 512Mi or 4Gi";

  /** A Kafka block names a Strimzi cluster or bootstrap servers, never both, never neither. */
  public static final String KAFKA_EXACTLY_ONE_RULE = "has(self.clusterName) != has(self.bootstrapServers)";

  public static final String KAFKA_EXACTLY_ONE_MESSAGE =
      "set exactly one of kafka.clusterName (a Strimzi Kafka cluster: topics as KafkaTopics) or "
          + "kafka.bootstrapServers (any Kafka: the operator manages the topics through the Kafka Admin API)";

  /**
   * Switching between a Strimzi cluster and bootstrap servers is refused (a transition rule: it only runs on
   * updates). The topics and their data live where the resource was created, and the two modes own topics
   * differently (a KafkaTopic owned by the resource, or a topic the operator made directly).
   */
  public static final String KAFKA_MODE_UNCHANGED_RULE = "has(self.clusterName) == has(oldSelf.clusterName)";

  public static final String KAFKA_MODE_UNCHANGED_MESSAGE =
      "kafka.clusterName and kafka.bootstrapServers cannot be swapped for one another: the topics and their data "
          + "live in the Kafka the resource was created with; create a new resource instead";

  public static final String BOOTSTRAP_SERVERS_RULE =
      "self.matches('^[A-Za-z0-9.-]+:[0-9]{1,5}(,[A-Za-z0-9.-]+:[0-9]{1,5})*$')";

  public static final String BOOTSTRAP_SERVERS_MESSAGE =
      "must be a comma-separated list of host:port, e.g. pulse-kafka:9092";
}
