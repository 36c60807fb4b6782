package dev.pulse.operator.adapter;

import dev.pulse.crd.v1alpha1.ModelAdapter;
import dev.pulse.crd.v1alpha1.ModelAdapterSpec;
import dev.pulse.crd.v1alpha1.adapter.GpuResources;
import dev.pulse.contract.Durations;
import dev.pulse.operator.support.GpuScheduling;
import dev.pulse.operator.support.OwnedNames;
import dev.pulse.operator.support.OwnedObjects;
import dev.pulse.operator.support.PulseImages;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.PodFailurePolicyRuleBuilder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a ModelAdapter becomes, as a pure function of its spec: one training Job per generation (a spec change
 * trains a new adapter; a Job's pod template cannot change anyway). The reconciler creates it; {@code pulse render}
 * prints it.
 */
public final class ModelAdapterObjects {

  public static final String COMPONENT = "trainer";
  public static final String CONTAINER = "trainer";
  /** On the pod template, so the operator finds a Job's pods (and their termination message) by label. */
  public static final String JOB_LABEL = "pulse.dev/training-job";
  /** The trainer's exit code for bad input (arguments, dataset, model): retrying cannot help. */
  public static final int EXIT_BAD_INPUT = 2;

  private ModelAdapterObjects() {}

  /** The training Job, or nothing when the output is not one this operator can train to (see {@link #unsupported}). */
  public static List<HasMetadata> desired(ModelAdapter adapter, PulseImages images) {
    return desired(adapter, images, null);
  }

  /**
   * With the labelled topic resolved from the dataset's pipeline; a labelled-topic dataset without one (its pipeline
   * unknown) has no Job either.
   */
  public static List<HasMetadata> desired(ModelAdapter adapter, PulseImages images, LabelledSource labelled) {
    boolean unresolved = adapter.getSpec().getDataset().getLabelledTopic() != null && labelled == null;
    return unsupported(adapter).isPresent() || unresolved ? List.of() : List.of(job(adapter, images, labelled));
  }

  /** Why no Job can be built for this spec, if so: the trainer writes only to a volume. */
  public static Optional<String> unsupported(ModelAdapter adapter) {
    if (adapter.getSpec().getOutput().getPvc() == null) {
      return Optional.of("spec.output.objectStoreUri is not supported by this trainer version (it writes to a "
          + "volume only); set spec.output.pvc to a PersistentVolumeClaim instead");
    }
    return Optional.empty();
  }

  public static String jobName(ModelAdapter adapter) {
    return OwnedNames.child(adapter.getMetadata().getName(), "train-" + TrainingVolumes.generation(adapter));
  }

  public static Job job(ModelAdapter adapter, PulseImages images) {
    return job(adapter, images, null);
  }

  /**
   * The Job; for a labelled-topic dataset ({@code labelled}, required then) an init container first exports the
   * topic into the pod's dataset volume ({@link LabelledExport}).
   */
  public static Job job(ModelAdapter adapter, PulseImages images, LabelledSource labelled) {
    ModelAdapterSpec spec = adapter.getSpec();
    boolean fromTopic = spec.getDataset().getLabelledTopic() != null;
    if (fromTopic && labelled == null) {
      throw new IllegalArgumentException("spec.dataset.labelledTopic needs its pipeline's Kafka resolved");
    }
    List<Container> initContainers = fromTopic
        ? List.of(LabelledExport.container(labelled, images.sparkJob())) : List.of();
    String name = jobName(adapter);
    Map<String, String> podLabels = new LinkedHashMap<>(OwnedObjects.labels(adapter, COMPONENT));
    podLabels.put(JOB_LABEL, name);
    GpuResources resources = Optional.ofNullable(spec.getResources()).orElseGet(GpuResources::new);
    int gpus = resources.getGpus() == null ? 1 : resources.getGpus();
    return new JobBuilder()
        .withMetadata(OwnedObjects.metadata(adapter, name, COMPONENT))
        .withNewSpec()
          .withBackoffLimit(spec.getBackoffLimit() == null ? 2 : spec.getBackoffLimit())
          .withActiveDeadlineSeconds(Durations.parse(spec.getActiveDeadline() == null ? "6h"
              : spec.getActiveDeadline()).toSeconds())
          // Bad input fails the Job at once instead of burning the retries on a GPU.
          .withNewPodFailurePolicy()
            .addNewRule()
              .withAction("FailJob")
              .withNewOnExitCodes().withContainerName(CONTAINER).withOperator("In").withValues(EXIT_BAD_INPUT)
              .endOnExitCodes()
            .endRule()
            .addAllToRules(fromTopic ? List.of(new PodFailurePolicyRuleBuilder()
                .withAction("FailJob")
                .withNewOnExitCodes().withContainerName(LabelledExport.CONTAINER).withOperator("In")
                  .withValues(EXIT_BAD_INPUT).endOnExitCodes()
                .build()) : List.of())
          .endPodFailurePolicy()
          .withNewTemplate()
            .withNewMetadata().withLabels(podLabels)
              .withAnnotations(Map.of(OwnedObjects.OWNER_ANNOTATION, adapter.getMetadata().getName())).endMetadata()
            .withNewSpec()
              .withRestartPolicy("Never")
              .withAutomountServiceAccountToken(false)
              .withEnableServiceLinks(false)
              .withSecurityContext(OwnedObjects.restrictedPod())
              .withTolerations(GpuScheduling.tolerations(resources, gpus))
              .withNodeSelector(GpuScheduling.nodeSelector(resources))
              .withAffinity(GpuScheduling.affinity(resources))
              .withRuntimeClassName(resources.getRuntimeClassName())
              .withInitContainers(initContainers)
              .withContainers(container(adapter, images, resources, gpus))
              .withVolumes(TrainingVolumes.volumes(adapter))
            .endSpec()
          .endTemplate()
        .endSpec()
        .build();
  }

  private static Container container(ModelAdapter adapter, PulseImages images, GpuResources resources, int gpus) {
    Map<String, Quantity> amounts = new LinkedHashMap<>();
    amounts.put("cpu", new Quantity(resources.getCpu() == null ? "2" : resources.getCpu()));
    amounts.put("memory", new Quantity(resources.getMemory() == null ? "16Gi" : resources.getMemory()));
    if (gpus > 0) {
      amounts.put(gpuResource(resources), new Quantity(String.valueOf(gpus)));
    }
    return new ContainerBuilder()
        .withName(CONTAINER)
        .withImage(adapter.getSpec().getImage() != null ? adapter.getSpec().getImage() : images.trainer())
        .withImagePullPolicy("IfNotPresent")
        .withCommand(TrainerArguments.COMMAND)
        .withArgs(TrainerArguments.of(adapter))
        .withEnv(env(adapter))
        // Requests equal limits: extended resources (GPUs) must, and a training run should not be squeezed.
        .withNewResources().withRequests(amounts).withLimits(amounts).endResources()
        .withTerminationMessagePath(TrainerArguments.TERMINATION_MESSAGE_PATH)
        .withTerminationMessagePolicy("FallbackToLogsOnError")
        .withSecurityContext(OwnedObjects.restrictedContainer())
        .withVolumeMounts(TrainingVolumes.mounts(adapter))
        .build();
  }

  static String gpuResource(GpuResources resources) {
    return GpuScheduling.gpuResource(resources);
  }

  private static List<EnvVar> env(ModelAdapter adapter) {
    List<EnvVar> env = new ArrayList<>();
    env.add(value("PYTHONUNBUFFERED", "1"));
    env.add(value("HOME", "/tmp"));
    env.add(value("HF_HOME", TrainingVolumes.CACHE_DIR + "/huggingface"));
    var token = adapter.getSpec().getBaseModel().getHubTokenSecret();
    if (token != null) {
      env.add(new EnvVarBuilder().withName("HF_TOKEN").withNewValueFrom().withNewSecretKeyRef()
          .withName(token.getName()).withKey(hubTokenKey(adapter)).withOptional(false)
          .endSecretKeyRef().endValueFrom().build());
    } else {
      env.add(value("HF_HUB_OFFLINE", "1")); // weights come from the volume; never reach out to the Hub
    }
    return env;
  }

  static String hubTokenKey(ModelAdapter adapter) {
    return adapter.getSpec().getBaseModel().getHubTokenSecret().keyOr("token");
  }

  private static EnvVar value(String name, String value) {
    return new EnvVarBuilder().withName(name).withValue(value).build();
  }
}
