package dev.pulse.operator.pipeline;

import dev.pulse.crd.common.PulseCondition;
import dev.pulse.crd.v1alpha1.SentimentPipeline;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The Spark condition of a Native pipeline, read from the pods themselves: the driver pod of the operator's
 * Deployment and the executor pods its scheduler backend made. Also the one-word state shown in
 * {@code status.sparkApplicationState} (RUNNING, PENDING, FAILING, SUSPENDED), as a SparkApplication would show its
 * own. Pure functions of the listed pods.
 */
public final class SparkDriverStatus {

  public static final String RUNNING = "RUNNING";
  public static final String PENDING = "PENDING";
  public static final String FAILING = "FAILING";
  public static final String SUSPENDED = "SUSPENDED";
  /** Waiting reasons of a container that will not come up by itself soon. */
  private static final List<String> FAILING_REASONS = List.of("CrashLoopBackOff", "ErrImagePull", "ImagePullBackOff",
      "ErrImageNeverPull", "CreateContainerConfigError", "CreateContainerError", "InvalidImageName");

  /** Reasons of a Native Spark part on its way up: worth looking at again soon (pods are not watched). */
  public static final java.util.Set<String> STARTING_REASONS =
      java.util.Set.of("DriverPending", "DriverStarting", "ExecutorsPending", "DriverFailing");

  private SparkDriverStatus() {}

  /** The pipeline's driver and executor pods, as the condition sees them. */
  public record SparkPods(List<Pod> drivers, List<Pod> executors) {

    /** Splits pods labelled as the pipeline's Spark pods by {@value SparkDriver#ROLE_LABEL}; terminating ones are left out. */
    public static SparkPods of(List<Pod> pods) {
      List<Pod> live = pods.stream().filter(pod -> pod.getMetadata().getDeletionTimestamp() == null).toList();
      return new SparkPods(role(live, SparkDriver.DRIVER_ROLE), role(live, SparkDriver.EXECUTOR_ROLE));
    }

    private static List<Pod> role(List<Pod> pods, String role) {
      return pods.stream().filter(pod -> role.equals(pod.getMetadata().getLabels().get(SparkDriver.ROLE_LABEL)))
          .sorted(Comparator.comparing(pod -> pod.getMetadata().getName())).toList();
    }
  }

  public static PulseCondition condition(SentimentPipeline p, FeedResolution feeds, int wantedExecutors,
      SparkPods pods) {
    String deployment = SparkDriver.name(p);
    if (PipelineDefaults.suspended(p)) {
      return PipelineConditions.of(PipelineConditions.SPARK, false, PipelineConditions.SUSPENDED,
          "spec.suspend is true: driver Deployment " + deployment + " is scaled to zero and its executors are gone; "
              + "the checkpoint is kept and the job resumes from it.");
    }
    if (feeds.topics().isEmpty()) {
      return PipelineConditions.of(PipelineConditions.SPARK, false, "WaitingForFeeds", "Driver Deployment "
          + deployment + " stays at zero until a readable SourceFeed is selected (see the Topics condition).");
    }
    if (pods.drivers().isEmpty()) {
      return PipelineConditions.of(PipelineConditions.SPARK, false, "DriverPending", "No driver pod of Deployment "
          + deployment + " yet (launcher Native); if this lasts, see kubectl describe deployment " + deployment + ".");
    }
    Pod driver = pods.drivers().get(0);
    String driverName = driver.getMetadata().getName();
    Optional<String> stuck = failing(driver);
    if (stuck.isPresent()) {
      return PipelineConditions.of(PipelineConditions.SPARK, false, "DriverFailing", "Driver pod " + driverName
          + " is not starting: " + stuck.get() + " (" + restarts(driver) + " restarts). See kubectl logs "
          + driverName + "; the Deployment keeps recreating it.");
    }
    if (!running(driver)) {
      return PipelineConditions.of(PipelineConditions.SPARK, false, "DriverStarting", "Driver pod " + driverName
          + " is " + phase(driver) + unscheduled(driver) + ".");
    }
    List<Pod> runningExecutors = pods.executors().stream().filter(SparkDriverStatus::running).toList();
    String executors = runningExecutors.size() + " of " + wantedExecutors + " executor pod(s) running";
    if (runningExecutors.size() < wantedExecutors) {
      String waiting = pods.executors().stream().filter(e -> !running(e))
          .map(e -> e.getMetadata().getName() + " " + phase(e) + failing(e).map(f -> ": " + f).orElse("")
              + unscheduled(e))
          .collect(Collectors.joining("; "));
      return PipelineConditions.of(PipelineConditions.SPARK, false, "ExecutorsPending", "Driver pod " + driverName
          + " runs; " + executors + (waiting.isEmpty() ? " (the driver asks Spark's scheduler backend for them)"
              : " (" + waiting + ")") + ".");
    }
    return PipelineConditions.of(PipelineConditions.SPARK, true, "Running", "Driver pod " + driverName + " runs ("
        + restarts(driver) + " restarts) with " + executors + " ("
        + runningExecutors.stream().map(e -> e.getMetadata().getName()).collect(Collectors.joining(", "))
        + "), scoring in " + (SparkApplications.realTime(p) ? "real-time mode (one task per feed-topic partition, "
            + feeds.partitions() + " in all)" : "micro-batches") + ".");
  }

  /** The state word for status.sparkApplicationState. */
  public static String state(SentimentPipeline p, PulseCondition condition) {
    if (PipelineDefaults.suspended(p)) {
      return SUSPENDED;
    }
    if (condition.holds()) {
      return RUNNING;
    }
    return "DriverFailing".equals(condition.getReason()) ? FAILING : PENDING;
  }

  static boolean running(Pod pod) {
    return pod.getStatus() != null && "Running".equals(pod.getStatus().getPhase())
        && containers(pod).stream().allMatch(c -> Boolean.TRUE.equals(c.getReady()));
  }

  private static Optional<String> failing(Pod pod) {
    if (pod.getStatus() != null && "Failed".equals(pod.getStatus().getPhase())) {
      return Optional.of("pod Failed" + (pod.getStatus().getReason() == null ? "" : " (" + pod.getStatus().getReason() + ")"));
    }
    return containers(pod).stream()
        .filter(c -> c.getState() != null && c.getState().getWaiting() != null
            && FAILING_REASONS.contains(c.getState().getWaiting().getReason()))
        .map(c -> c.getState().getWaiting().getReason() + lastExit(c))
        .findFirst();
  }

  private static String lastExit(ContainerStatus c) {
    return c.getLastState() != null && c.getLastState().getTerminated() != null
        ? ", last exit code " + c.getLastState().getTerminated().getExitCode() : "";
  }

  private static String unscheduled(Pod pod) {
    if (pod.getStatus() == null || pod.getStatus().getConditions() == null) {
      return "";
    }
    return pod.getStatus().getConditions().stream()
        .filter(c -> "PodScheduled".equals(c.getType()) && "False".equals(c.getStatus()))
        .map(PodCondition::getMessage).filter(m -> m != null && !m.isBlank())
        .map(m -> " (not scheduled: " + m + ")").findFirst().orElse("");
  }

  private static String phase(Pod pod) {
    return pod.getStatus() == null || pod.getStatus().getPhase() == null ? "Pending" : pod.getStatus().getPhase();
  }

  private static int restarts(Pod pod) {
    return containers(pod).stream().mapToInt(c -> c.getRestartCount() == null ? 0 : c.getRestartCount()).sum();
  }

  private static List<ContainerStatus> containers(Pod pod) {
    return pod.getStatus() == null || pod.getStatus().getContainerStatuses() == null ? List.of()
        : pod.getStatus().getContainerStatuses();
  }
}
