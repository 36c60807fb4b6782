package dev.pulse.operator.adapter;

import dev.pulse.operator.support.OwnedObjects;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import java.util.List;
import java.util.Map;

/**
 * The training pod's init container for a labelled-topic dataset: the spark-job image (which carries the
 * labelled-topic module) runs {@code dev.pulse.labelled.ExportLabelled}, writing the topic read to its end into the
 * pod's {@code dataset} emptyDir, where the trainer reads it. It fails with exit code 2 and a DatasetError
 * termination message for a missing or too small topic (the Job then fails at once, {@link ModelAdapterObjects}).
 */
public final class LabelledExport {

  public static final String CONTAINER = "labelled-export";
  public static final String MAIN_CLASS = "dev.pulse.labelled.ExportLabelled";
  /** The file in the dataset volume, as the trainer sees it too. */
  public static final String FILE = "labelled.jsonl";
  /** Jib's classpath file in every Pulse JVM image (hack/images/README.md); {@code java} is on the image's PATH. */
  static final String CLASSPATH_FILE = "@/app/jib-classpath-file";
  /** A consumer and a list of lines: small. Requests equal limits (a Guaranteed-class init container). */
  static final Map<String, Quantity> RESOURCES = Map.of("cpu", new Quantity("500m"), "memory", new Quantity("512Mi"));

  private LabelledExport() {}

  static Container container(LabelledSource source, String image) {
    return new ContainerBuilder()
        .withName(CONTAINER)
        .withImage(image)
        .withImagePullPolicy("IfNotPresent")
        .withCommand(command())
        .withArgs(args(source))
        .withNewResources().withRequests(RESOURCES).withLimits(RESOURCES).endResources()
        .withTerminationMessagePath(TrainerArguments.TERMINATION_MESSAGE_PATH)
        .withTerminationMessagePolicy("FallbackToLogsOnError")
        .withSecurityContext(OwnedObjects.restrictedContainer())
        .withVolumeMounts(TrainingVolumes.exportMounts())
        .build();
  }

  static List<String> command() {
    // The image's JVM flags (heap from the memory limit, /tmp as the temp and home directory: the root is read-only).
    return List.of("java", "-XX:MaxRAMPercentage=75", "-XX:+ExitOnOutOfMemoryError", "-Djava.io.tmpdir=/tmp",
        "-Duser.home=/tmp", "-cp", CLASSPATH_FILE, MAIN_CLASS);
  }

  static List<String> args(LabelledSource source) {
    return List.of("--bootstrap-servers", source.bootstrapServers(), "--topic", source.topic(),
        "--out", TrainingVolumes.DATA_DIR + "/" + FILE, "--min-posts", String.valueOf(source.minPosts()),
        "--termination-log", TrainerArguments.TERMINATION_MESSAGE_PATH);
  }
}
