package dev.pulse.e2e;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The dashboard pod's own ingest → dashboard latency histogram ({@code pulse_dashboard_ingest_latency_seconds},
 * cumulative buckets on /actuator/prometheus), read twice to take the posts in between: percentiles are interpolated
 * within a bucket as Prometheus' histogram_quantile does, so they are estimates bounded by the bucket edges.
 */
final class DashboardLatency {

  private static final Pattern BUCKET =
      Pattern.compile("^pulse_dashboard_ingest_latency_seconds_bucket\\{[^}]*le=\"([^\"]+)\"[^}]*} ([0-9.eE+-]+)$");

  private DashboardLatency() {}

  /** http://ClusterIP:port of the pipeline's dashboard Service (this host reaches it through kube-proxy's rules). */
  static String serviceUrl(KubernetesClient client, String namespace) {
    List<Service> services = client.services().inNamespace(namespace)
        .withLabel("app.kubernetes.io/component", "dashboard").list().getItems();
    if (services.size() != 1) {
      throw new IllegalStateException("expected the pipeline's one dashboard Service in " + namespace + ", found "
          + services.size());
    }
    Service service = services.get(0);
    return "http://" + service.getSpec().getClusterIP() + ":" + service.getSpec().getPorts().get(0).getPort();
  }

  /** Upper bound (s, +Inf as infinity) → cumulative count. */
  static TreeMap<Double, Double> buckets(String baseUrl) throws Exception {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    String body = http.send(HttpRequest.newBuilder(URI.create(baseUrl + "/actuator/prometheus"))
        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString()).body();
    TreeMap<Double, Double> out = new TreeMap<>();
    for (String line : body.split("\n")) {
      Matcher m = BUCKET.matcher(line.trim());
      if (m.matches()) {
        double le = "+Inf".equals(m.group(1)) ? Double.POSITIVE_INFINITY : Double.parseDouble(m.group(1));
        out.merge(le, Double.parseDouble(m.group(2)), Double::sum);
      }
    }
    return out;
  }

  static TreeMap<Double, Double> delta(TreeMap<Double, Double> before, TreeMap<Double, Double> after) {
    TreeMap<Double, Double> out = new TreeMap<>();
    after.forEach((le, n) -> out.put(le, n - before.getOrDefault(le, 0.0)));
    return out;
  }

  /** The q-quantile in milliseconds, linear within its bucket; -1 with no posts. */
  static long quantileMillis(TreeMap<Double, Double> cumulative, double q) {
    double total = cumulative.isEmpty() ? 0 : cumulative.lastEntry().getValue();
    if (total <= 0) {
      return -1;
    }
    double rank = q * total;
    double lowerEdge = 0;
    double lowerCount = 0;
    for (Map.Entry<Double, Double> e : cumulative.entrySet()) {
      if (e.getValue() >= rank) {
        if (e.getKey().isInfinite()) {
          return Math.round(lowerEdge * 1000); // past the last finite bucket: its edge is all that is known
        }
        double inBucket = e.getValue() - lowerCount;
        double fraction = inBucket <= 0 ? 1 : (rank - lowerCount) / inBucket;
        return Math.round((lowerEdge + (e.getKey() - lowerEdge) * fraction) * 1000);
      }
      lowerEdge = e.getKey();
      lowerCount = e.getValue();
    }
    return Math.round(lowerEdge * 1000);
  }

  static long count(TreeMap<Double, Double> cumulative) {
    return cumulative.isEmpty() ? 0 : Math.round(cumulative.lastEntry().getValue());
  }
}
