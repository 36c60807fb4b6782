package dev.pulse.e2e;

import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The kubelet's resource metrics ({@code /metrics/resource}, through the API server's node proxy): each container's
 * cumulative CPU seconds and working-set memory, summed per pod. Two snapshots give a pod's CPU use in between, in
 * cores, from the samples' own timestamps (the kubelet refreshes them every few seconds, not at each scrape).
 */
final class KubeletResources {

  private static final Pattern SAMPLE = Pattern.compile(
      "^(container_cpu_usage_seconds_total|container_memory_working_set_bytes)\\{([^}]*)} (\\S+)(?: (\\d+))?$");
  private static final Pattern LABEL = Pattern.compile("(\\w+)=\"((?:[^\"\\\\]|\\\\.)*)\"");

  /** One pod at one scrape: CPU seconds so far (at {@code cpuAtMillis}) and working set now. */
  record PodSample(String namespace, String pod, double cpuSeconds, long cpuAtMillis, double memoryBytes) {}

  /** One pod between two scrapes. */
  record PodUsage(String namespace, String pod, double cores, double memoryBytes) {}

  private KubeletResources() {}

  /** A scrape of the node's kubelet; keyed by namespace/pod. */
  static Map<String, PodSample> scrape(KubernetesClient client, String node) {
    String master = client.getMasterUrl().toString().replaceAll("/+$", "");
    String text = client.raw(master + "/api/v1/nodes/" + node + "/proxy/metrics/resource");
    if (text == null) {
      throw new IllegalStateException("the kubelet of node " + node + " served no resource metrics");
    }
    return parse(text, System.currentTimeMillis());
  }

  /** Per pod: the sum of its containers' samples. {@code nowMillis} stands for a sample without a timestamp. */
  static Map<String, PodSample> parse(String text, long nowMillis) {
    Map<String, PodSample> pods = new LinkedHashMap<>();
    for (String line : text.split("\n")) {
      Matcher m = SAMPLE.matcher(line.strip());
      if (!m.matches()) {
        continue;
      }
      Map<String, String> labels = labels(m.group(2));
      String namespace = labels.getOrDefault("namespace", "");
      String pod = labels.getOrDefault("pod", "");
      if (pod.isEmpty()) {
        continue;
      }
      double value = Double.parseDouble(m.group(3));
      long at = m.group(4) == null ? nowMillis : Long.parseLong(m.group(4));
      boolean cpu = m.group(1).startsWith("container_cpu");
      pods.merge(namespace + "/" + pod,
          new PodSample(namespace, pod, cpu ? value : 0, cpu ? at : 0, cpu ? 0 : value),
          (a, b) -> new PodSample(namespace, pod, a.cpuSeconds() + b.cpuSeconds(),
              Math.max(a.cpuAtMillis(), b.cpuAtMillis()), a.memoryBytes() + b.memoryBytes()));
    }
    return pods;
  }

  /**
   * Each pod of {@code after}: CPU cores used since {@code before} (a pod started in between counts from zero at
   * {@code beforeMillis}), and its working set at {@code after}.
   */
  static List<PodUsage> usage(Map<String, PodSample> before, long beforeMillis, Map<String, PodSample> after) {
    return after.entrySet().stream().map(e -> {
      PodSample end = e.getValue();
      PodSample start = before.get(e.getKey());
      double cpu = end.cpuSeconds() - (start == null ? 0 : start.cpuSeconds());
      long since = start == null ? beforeMillis : start.cpuAtMillis();
      double seconds = (end.cpuAtMillis() - since) / 1000.0;
      double cores = seconds <= 0 || cpu < 0 ? 0 : cpu / seconds;
      return new PodUsage(end.namespace(), end.pod(), cores, end.memoryBytes());
    }).toList();
  }

  private static Map<String, String> labels(String text) {
    Map<String, String> out = new LinkedHashMap<>();
    Matcher m = LABEL.matcher(text);
    while (m.find()) {
      out.put(m.group(1), m.group(2));
    }
    return out;
  }
}
