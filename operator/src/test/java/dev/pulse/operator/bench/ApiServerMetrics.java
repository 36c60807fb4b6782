package dev.pulse.operator.bench;

import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Counts writes on the API server's side, from its own {@code /metrics}: every write request
 * ({@code apiserver_request_total} with a mutating verb, a no-op server-side apply included) and every write that
 * reached etcd ({@code etcd_requests_total} create/update/delete less {@code etcd_request_errors_total}: the API
 * server skips the etcd transaction when an update changes nothing). Client-side counting would miss requests of
 * other clients and count retries twice.
 */
final class ApiServerMetrics {

  private static final Set<String> WRITE_VERBS = Set.of("POST", "PUT", "PATCH", "APPLY", "DELETE", "DELETECOLLECTION");
  private static final Set<String> STORED = Set.of("create", "update", "delete");
  private static final Pattern SAMPLE = Pattern.compile("^([a-z_]+)\\{([^}]*)}\\s+([0-9.eE+-]+)$");
  private static final Pattern LABEL = Pattern.compile("([a-z_]+)=\"([^\"]*)\"");

  /** Counters at one moment: write requests by "resource[/subresource] VERB", changes by resource. */
  record Snapshot(Map<String, Long> requests, Map<String, Long> changes) {

    Snapshot minus(Snapshot before) {
      return new Snapshot(diff(requests, before.requests), diff(changes, before.changes));
    }

    long requestTotal() {
      return requests.values().stream().mapToLong(Long::longValue).sum();
    }

    long changeTotal() {
      return changes.values().stream().mapToLong(Long::longValue).sum();
    }

    /** Without the rows the given predicate names (the bench's own creates, the API server's own leases). */
    Snapshot without(java.util.function.Predicate<String> requestKey, java.util.function.Predicate<String> resource) {
      Map<String, Long> r = new TreeMap<>(requests);
      r.keySet().removeIf(requestKey);
      Map<String, Long> c = new TreeMap<>(changes);
      c.keySet().removeIf(resource);
      return new Snapshot(r, c);
    }

    private static Map<String, Long> diff(Map<String, Long> after, Map<String, Long> before) {
      Map<String, Long> out = new TreeMap<>();
      after.forEach((k, v) -> {
        long d = v - before.getOrDefault(k, 0L);
        if (d != 0) {
          out.put(k, d);
        }
      });
      return out;
    }
  }

  private final KubernetesClient client;

  ApiServerMetrics(KubernetesClient client) {
    this.client = client;
  }

  Snapshot snapshot() {
    Map<String, Long> requests = new TreeMap<>();
    Map<String, Long> changes = new TreeMap<>();
    for (String line : client.raw("/metrics").split("\n")) {
      if (!line.startsWith("apiserver_request_total{") && !line.startsWith("etcd_request")) {
        continue;
      }
      Matcher m = SAMPLE.matcher(line.trim());
      if (!m.matches()) {
        continue;
      }
      Map<String, String> labels = new TreeMap<>();
      Matcher l = LABEL.matcher(m.group(2));
      while (l.find()) {
        labels.put(l.group(1), l.group(2));
      }
      long value = (long) Double.parseDouble(m.group(3));
      if (m.group(1).equals("apiserver_request_total")) {
        if (WRITE_VERBS.contains(labels.get("verb")) && labels.getOrDefault("dry_run", "").isEmpty()) {
          String sub = labels.getOrDefault("subresource", "");
          requests.merge(labels.get("resource") + (sub.isEmpty() ? "" : "/" + sub) + " " + labels.get("verb"),
              value, Long::sum);
        }
      } else if (STORED.contains(labels.get("operation"))) {
        if (m.group(1).equals("etcd_requests_total")) {
          changes.merge(labels.get("resource"), value, Long::sum);
        } else if (m.group(1).equals("etcd_request_errors_total")) {
          changes.merge(labels.get("resource"), -value, Long::sum);
        }
      }
    }
    return new Snapshot(requests, changes);
  }
}
