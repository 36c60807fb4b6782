package dev.pulse.operator.adapter;

import dev.pulse.crd.common.PulseCondition;
import dev.pulse.crd.v1alpha1.ModelAdapter;
import dev.pulse.crd.v1alpha1.ModelAdapterStatus.AdapterMetrics;
import dev.pulse.crd.v1alpha1.ModelAdapterStatus.Phase;
import dev.pulse.operator.support.Conditions;
import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import java.util.Collection;
import java.util.Comparator;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A training run's phase and its {@code Training} condition, read from the Job's status (the Job controller) and
 * its pods' termination messages (the kubelet). Pure: the reconciler passes what the informers hold.
 *
 * @param adapterPath the adapter pipelines may serve: this generation's once trained and promoted; when it is not
 *     promoted, the one promoted before (null: none)
 * @param metrics the trainer's evaluation, when it reported one
 * @param promoted the escalation gate's verdict ({@link EscalationGate#PROMOTED}), null when the trainer reported none
 */
public record TrainingState(Phase phase, PulseCondition training, String adapterPath, AdapterMetrics metrics,
    PulseCondition promoted) {

  public TrainingState(Phase phase, PulseCondition training, String adapterPath, AdapterMetrics metrics) {
    this(phase, training, adapterPath, metrics, null);
  }

  public static final String TRAINING = "Training";

  public static TrainingState of(ModelAdapter adapter, Job job, Collection<Pod> pods) {
    String name = ModelAdapterObjects.jobName(adapter);
    if (job == null) {
      return pending("JobPending", "Creating training Job " + name);
    }
    Optional<TrainerReport> report = latestReport(pods);
    if (holds(job, "Complete")) {
      AdapterMetrics metrics = report.filter(TrainerReport::succeeded).map(TrainerReport::metrics).orElse(null);
      String path = TrainingVolumes.adapterPath(adapter);
      PulseCondition trained = Conditions.of(TRAINING, true, "TrainingSucceeded",
          "Job " + name + " trained the adapter at " + path + describe(metrics));
      EscalationGate gate = report.filter(TrainerReport::succeeded).map(TrainerReport::gate).orElse(null);
      if (gate == null) {
        return new TrainingState(Phase.Succeeded, trained, path, metrics);
      }
      // Not promoted: the path pipelines serve stays the one promoted before (a resync finds it in the status).
      String previous = adapter.getStatus() == null ? null : adapter.getStatus().getAdapterPath();
      String kept = previous == null || previous.equals(path) ? null : previous;
      long generation = TrainingVolumes.generation(adapter);
      return gate.promotes()
          ? new TrainingState(Phase.Succeeded, trained, path, metrics, gate.promoted(generation, null))
          : new TrainingState(Phase.Succeeded, trained, kept, metrics, gate.promoted(generation, kept));
    }
    Optional<JobCondition> failed = condition(job, "Failed");
    if (failed.isPresent()) {
      // The trainer's own reason (InvalidArgument, DatasetError, TrainingFailed...) says more than the Job's; when the
      // trainer never ran, the labelled-topic export's (DatasetError: a missing or too small topic).
      Optional<TrainerReport> cause = report.isPresent() ? report : exportFailure(pods);
      String reason = cause.map(TrainerReport::reason).filter(Objects::nonNull)
          .orElse(Optional.ofNullable(failed.get().getReason()).orElse("TrainingFailed"));
      String detail = cause.map(TrainerReport::message).filter(Objects::nonNull)
          .orElse(Optional.ofNullable(failed.get().getMessage()).orElse("no message"));
      return new TrainingState(Phase.Failed, Conditions.of(TRAINING, false, reason, "Job " + name + " failed: "
          + detail + ". Fix the spec (a change starts a new Job) or see kubectl logs job/" + name), null, null);
    }
    int ready = job.getStatus() == null || job.getStatus().getReady() == null ? 0 : job.getStatus().getReady();
    if (ready > 0) {
      return new TrainingState(Phase.Training, Conditions.unknown(TRAINING, "Training",
          "Job " + name + " is training (kubectl logs -f job/" + name + ")"), null, null);
    }
    return pending("JobPending", "Job " + name + " is waiting for its pod to start" + waitingReason(pods)
        .map(w -> ": " + w).orElse(" (is a node with a free GPU available?)"));
  }

  /**
   * The chat template file (in the adapter's directory) of the adapter served at {@code servedPath}: this
   * generation's trainer reports it; an adapter promoted before keeps the one its status recorded.
   */
  public static String chatTemplate(ModelAdapter adapter, Collection<Pod> pods, String servedPath) {
    if (servedPath == null) {
      return null;
    }
    if (servedPath.equals(TrainingVolumes.adapterPath(adapter))) {
      Optional<TrainerReport> report = latestReport(pods).filter(TrainerReport::succeeded);
      if (report.isPresent()) {
        return report.get().chatTemplate();
      }
    }
    var previous = adapter.getStatus();
    return previous != null && servedPath.equals(previous.getAdapterPath()) ? previous.getChatTemplate() : null;
  }

  private static TrainingState pending(String reason, String message) {
    return new TrainingState(Phase.Pending, Conditions.unknown(TRAINING, reason, message), null, null);
  }

  private static boolean holds(Job job, String type) {
    return condition(job, type).isPresent();
  }

  private static Optional<JobCondition> condition(Job job, String type) {
    return job.getStatus() == null || job.getStatus().getConditions() == null ? Optional.empty()
        : job.getStatus().getConditions().stream()
            .filter(c -> type.equals(c.getType()) && "True".equals(c.getStatus())).findFirst();
  }

  /** The termination message of the trainer container that finished last. */
  static Optional<TrainerReport> latestReport(Collection<Pod> pods) {
    return terminations(pods.stream().flatMap(TrainingState::trainerStatuses))
        .filter(t -> t.getMessage() != null && !t.getMessage().isBlank())
        .max(LATEST)
        .map(ContainerStateTerminated::getMessage)
        .flatMap(TrainerReport::parse);
  }

  /**
   * Why the pod has not started training: the scheduler cannot place it (e.g. Insufficient cpu), the labelled-topic
   * export waiting (an image pull) or still reading, else the trainer container waiting.
   */
  private static Optional<String> waitingReason(Collection<Pod> pods) {
    Optional<String> unscheduled = pods.stream()
        .filter(p -> p.getStatus() != null && p.getStatus().getConditions() != null)
        .flatMap(p -> p.getStatus().getConditions().stream())
        .filter(c -> "PodScheduled".equals(c.getType()) && "False".equals(c.getStatus()))
        .map(c -> "its pod cannot be scheduled (" + c.getReason() + ": " + c.getMessage() + ")")
        .findFirst();
    if (unscheduled.isPresent()) {
      return unscheduled;
    }
    Optional<String> export = pods.stream().flatMap(TrainingState::exportStatuses)
        .filter(s -> s.getState() != null && (s.getState().getWaiting() != null || s.getState().getRunning() != null))
        .map(s -> s.getState().getRunning() != null
            ? "init container " + LabelledExport.CONTAINER + " is exporting the labelled topic"
            : "init container " + LabelledExport.CONTAINER + " " + waiting(s))
        .findFirst();
    return export.or(() -> pods.stream().flatMap(TrainingState::trainerStatuses)
        .filter(s -> s.getState() != null && s.getState().getWaiting() != null)
        .map(TrainingState::waiting)
        .findFirst());
  }

  private static String waiting(ContainerStatus s) {
    return s.getState().getWaiting().getReason()
        + (s.getState().getWaiting().getMessage() == null ? "" : " (" + s.getState().getWaiting().getMessage() + ")");
  }

  /**
   * The labelled-topic export's failure, when it exited non-zero: its DatasetError report, or its log tail
   * (reason DatasetExportFailed) when it crashed before writing one.
   */
  static Optional<TrainerReport> exportFailure(Collection<Pod> pods) {
    return terminations(pods.stream().flatMap(TrainingState::exportStatuses))
        .filter(t -> t.getExitCode() != null && t.getExitCode() != 0)
        .max(LATEST)
        .map(t -> TrainerReport.parse(t.getMessage())
            .orElseGet(() -> new TrainerReport("Failed", null, "exit code " + t.getExitCode(), null, null)))
        .map(r -> new TrainerReport("Failed", r.reason() == null ? "DatasetExportFailed" : r.reason(),
            "labelled-topic export: " + r.message(), null, null));
  }

  /** The container runs that ended: the current state's and the one before a restart. */
  private static Stream<ContainerStateTerminated> terminations(Stream<ContainerStatus> statuses) {
    return statuses.flatMap(s -> Stream.of(s.getState() == null ? null : s.getState().getTerminated(),
            s.getLastState() == null ? null : s.getLastState().getTerminated()))
        .filter(Objects::nonNull);
  }

  private static final Comparator<ContainerStateTerminated> LATEST =
      Comparator.comparing(t -> Optional.ofNullable(t.getFinishedAt()).orElse(""));

  private static Stream<ContainerStatus> exportStatuses(Pod pod) {
    return pod.getStatus() == null || pod.getStatus().getInitContainerStatuses() == null ? Stream.empty()
        : pod.getStatus().getInitContainerStatuses().stream()
            .filter(s -> LabelledExport.CONTAINER.equals(s.getName()));
  }

  private static Stream<ContainerStatus> trainerStatuses(Pod pod) {
    return pod.getStatus() == null || pod.getStatus().getContainerStatuses() == null ? Stream.empty()
        : pod.getStatus().getContainerStatuses().stream()
            .filter(s -> ModelAdapterObjects.CONTAINER.equals(s.getName()));
  }

  private static String describe(AdapterMetrics metrics) {
    if (metrics == null) {
      return " (the trainer reported no metrics)";
    }
    return " (macro recall " + metrics.getMacroRecall() + ", accuracy " + metrics.getAccuracy() + ")";
  }
}
