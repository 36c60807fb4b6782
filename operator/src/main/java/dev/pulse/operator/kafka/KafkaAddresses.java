package dev.pulse.operator.kafka;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * The bootstrap servers a resource names, as the operator must dial them. A bare host such as {@code pulse-kafka}
 * means a Service in the resource's own namespace: that is how the ingester and the Spark job, which run there,
 * resolve it. The operator runs in another namespace, where the same bare name would find nothing (or another
 * namespace's Service), so it dials {@code pulse-kafka.<namespace>.svc} instead. Names with a dot (already
 * qualified, or external), {@code localhost} and IP addresses are used as they are.
 */
public final class KafkaAddresses {

  private KafkaAddresses() {}

  public static String forOperator(String bootstrapServers, String namespace) {
    return Arrays.stream(bootstrapServers.split(","))
        .map(String::trim)
        .map(address -> qualify(address, namespace))
        .collect(Collectors.joining(","));
  }

  private static String qualify(String address, String namespace) {
    int colon = address.lastIndexOf(':');
    String host = colon < 0 ? address : address.substring(0, colon);
    String port = colon < 0 ? "" : address.substring(colon);
    if (host.isEmpty() || host.contains(".") || host.contains(":") || "localhost".equals(host) || namespace == null) {
      return address;
    }
    return host + "." + namespace + ".svc" + port;
  }
}
