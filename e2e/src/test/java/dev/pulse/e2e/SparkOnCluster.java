package dev.pulse.e2e;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A Native pipeline's Spark pods as the cluster runs them: the driver of the operator's Deployment and the executors
 * Spark's Kubernetes scheduler backend made, told apart by the operator's {@code pulse.dev/spark-role} label.
 */
final class SparkOnCluster {

  static final String ROLE = "pulse.dev/spark-role";

  private final KubernetesClient client;
  private final String namespace;
  private final String pipeline;

  SparkOnCluster(KubernetesClient client, String namespace, String pipeline) {
    this.client = client;
    this.namespace = namespace;
    this.pipeline = pipeline;
  }

  List<Pod> pods(String role) {
    return client.pods().inNamespace(namespace).withLabel("app.kubernetes.io/instance", pipeline)
        .withLabel("app.kubernetes.io/component", "spark").withLabel(ROLE, role).list().getItems().stream()
        .filter(p -> p.getMetadata().getDeletionTimestamp() == null).toList();
  }

  List<Pod> drivers() {
    return pods("driver");
  }

  List<Pod> executors() {
    return pods("executor");
  }

  /** Every Spark pod of the pipeline, terminating ones too. */
  List<Pod> all() {
    return client.pods().inNamespace(namespace).withLabel("app.kubernetes.io/instance", pipeline)
        .withLabel("app.kubernetes.io/component", "spark").list().getItems();
  }

  static boolean running(Pod pod) {
    return pod.getStatus() != null && "Running".equals(pod.getStatus().getPhase())
        && pod.getStatus().getContainerStatuses().stream().allMatch(c -> Boolean.TRUE.equals(c.getReady()));
  }

  /** One running driver and at least one running executor owned by that driver pod. */
  boolean runningWithExecutors() {
    List<Pod> drivers = drivers();
    if (drivers.size() != 1 || !running(drivers.get(0))) {
      return false;
    }
    String driver = drivers.get(0).getMetadata().getName();
    return executors().stream().anyMatch(e -> running(e) && ownedBy(e, driver));
  }

  static boolean ownedBy(Pod executor, String driverPod) {
    return executor.getMetadata().getOwnerReferences() != null && executor.getMetadata().getOwnerReferences().stream()
        .anyMatch(o -> "Pod".equals(o.getKind()) && driverPod.equals(o.getName()));
  }

  /** One micro-batch as the driver logged it (spark-job's BatchProgressLog). */
  record Batch(String query, long id, long rows, long millis, String line) {}

  private static final java.util.regex.Pattern BATCH =
      java.util.regex.Pattern.compile("batch progress (\\S+) #(\\d+): (\\d+) rows in (\\d+) ms.*");

  /** The batches the running driver logged in the last {@code seconds} (rows read or long ones; idle fast ones not). */
  List<Batch> batches(int seconds) {
    List<Pod> drivers = drivers();
    if (drivers.size() != 1) {
      return List.of();
    }
    String log = client.pods().inNamespace(namespace).withName(drivers.get(0).getMetadata().getName())
        .sinceSeconds(seconds).getLog();
    return parseBatches(log);
  }

  static List<Batch> parseBatches(String log) {
    List<Batch> out = new java.util.ArrayList<>();
    for (String line : log.split("\n")) {
      int at = line.indexOf("batch progress ");
      if (at < 0) {
        continue;
      }
      java.util.regex.Matcher m = BATCH.matcher(line.substring(at).strip());
      if (m.matches()) {
        out.add(new Batch(m.group(1), Long.parseLong(m.group(2)), Long.parseLong(m.group(3)),
            Long.parseLong(m.group(4)), line.substring(at).strip()));
      }
    }
    return out;
  }

  /** What a person would look at when the Spark part fails: pods, their states and the tail of their logs. */
  String diagnose() {
    StringBuilder out = new StringBuilder("Spark pods of " + namespace + "/" + pipeline + ":\n");
    for (Pod p : all()) {
      out.append("  ").append(p.getMetadata().getName()).append(' ').append(p.getMetadata().getLabels().get(ROLE))
          .append(' ').append(p.getStatus() == null ? "?" : p.getStatus().getPhase())
          .append(p.getStatus() == null || p.getStatus().getContainerStatuses() == null ? ""
              : p.getStatus().getContainerStatuses().stream().map(c -> " restarts=" + c.getRestartCount()
                  + (c.getState().getWaiting() != null ? " waiting=" + c.getState().getWaiting().getReason() : "")
                  + (c.getLastState() != null && c.getLastState().getTerminated() != null
                      ? " lastExit=" + c.getLastState().getTerminated().getExitCode() : ""))
                  .collect(Collectors.joining()))
          .append('\n');
      try {
        String log = client.pods().inNamespace(namespace).withName(p.getMetadata().getName()).tailingLines(40).getLog();
        out.append(log.indent(6));
      } catch (RuntimeException e) {
        out.append("      (no log: ").append(e.getMessage()).append(")\n");
      }
    }
    client.v1().events().inNamespace(namespace).list().getItems().stream()
        .filter(e -> e.getInvolvedObject().getName() != null && e.getInvolvedObject().getName().startsWith(pipeline))
        .filter(e -> "Warning".equals(e.getType()))
        .forEach(e -> out.append("  event ").append(e.getInvolvedObject().getKind()).append(' ')
            .append(e.getInvolvedObject().getName()).append(": ").append(e.getReason()).append(' ')
            .append(e.getMessage()).append('\n'));
    return out.toString();
  }
}
