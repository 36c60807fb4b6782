package dev.pulse.operator.reconcile;

import dev.pulse.operator.support.Conditions;

import dev.pulse.crd.common.PulseCondition;
import dev.pulse.crd.v1alpha1.ModelAdapter;
import dev.pulse.crd.v1alpha1.ModelAdapterSpec;
import dev.pulse.crd.v1alpha1.ModelAdapterStatus;
import dev.pulse.crd.v1alpha1.ModelAdapterStatus.AdapterMetrics;
import dev.pulse.crd.v1alpha1.SentimentPipeline;
import dev.pulse.operator.adapter.AdapterStorage;
import dev.pulse.operator.adapter.LabelledSource;
import dev.pulse.operator.adapter.ModelAdapterObjects;
import dev.pulse.operator.adapter.TrainingState;
import dev.pulse.operator.pipeline.AdapterDatasets;
import dev.pulse.operator.support.OwnedInformers;
import dev.pulse.operator.support.PulseImages;
import dev.pulse.operator.support.References;
import dev.pulse.operator.support.ServerSideApply;
import dev.pulse.operator.network.NetworkPolicies;
import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.MaxReconciliationInterval;
import io.javaoperatorsdk.operator.processing.retry.GradualRetry;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Reconciles a ModelAdapter into one training Job per generation (see {@link ModelAdapterObjects}) and reports the
 * run's phase, the adapter's path and its evaluation metrics from the Job and its pod's termination message. A
 * spec change starts a new Job and deletes the previous generation's, so two runs never compete for a GPU.
 */
// Failures retry from 2 s doubling to 5 min, then the 10-minute resync keeps trying: never a tight loop.
@GradualRetry(maxAttempts = 10, initialInterval = 2_000, intervalMultiplier = 2, maxInterval = 300_000)
@ControllerConfiguration(name = "modeladapter",
    maxReconciliationInterval = @MaxReconciliationInterval(interval = 10, timeUnit = TimeUnit.MINUTES))
public class ModelAdapterReconciler extends FoundationReconciler<ModelAdapter, ModelAdapterStatus> {

  static final Duration RECHECK_MISSING_REFERENCE = Duration.ofSeconds(30);

  private final PulseImages images;

  public ModelAdapterReconciler() {
    this(Clock.systemUTC(), PulseImages.defaults());
  }

  /** With the images the operator is configured with (pulse.operator.images.*, set by the Helm chart). */
  public ModelAdapterReconciler(PulseImages images) {
    this(Clock.systemUTC(), images);
  }

  ModelAdapterReconciler(Clock clock, PulseImages images) {
    super(clock, ModelAdapterStatus::new);
    this.images = images;
  }

  private boolean networkPolicies = true;

  /** Whether training pods get a NetworkPolicy (pulse.operator.network-policies; on by default). */
  public ModelAdapterReconciler networkPolicies(boolean on) {
    this.networkPolicies = on;
    return this;
  }

  @Override
  public List<EventSource<?, ModelAdapter>> prepareEventSources(EventSourceContext<ModelAdapter> context) {
    return List.of(
        OwnedInformers.owned(Job.class, context),
        OwnedInformers.labelled(Pod.class, context, ModelAdapterObjects.COMPONENT));
  }

  @Override
  protected List<PulseCondition> observe(ModelAdapter adapter, ModelAdapterStatus status,
      Context<ModelAdapter> context) {
    KubernetesClient client = context.getClient();
    String jobName = ModelAdapterObjects.jobName(adapter);
    status.setJobName(jobName);
    status.setPhase(ModelAdapterStatus.Phase.Pending);

    Optional<String> unsupported = ModelAdapterObjects.unsupported(adapter);
    if (unsupported.isPresent()) {
      return withReady(Conditions.of(TrainingState.TRAINING, false, "OutputNotSupported", unsupported.get()));
    }
    deleteOtherGenerations(client, context, jobName);
    Job job = context.getSecondaryResourcesAsStream(Job.class)
        .filter(j -> jobName.equals(j.getMetadata().getName())).findFirst().orElse(null);
    PulseCondition storage = storage(client, adapter, job == null);
    if (job == null) {
      Optional<References.Problem> missing = unresolvedReference(client, adapter);
      if (missing.isPresent()) {
        return withReady(storage, Conditions.of(TrainingState.TRAINING, false, missing.get().reason(),
            missing.get().message()));
      }
      LabelledSource labelled = null;
      if (AdapterDatasets.pipelineName(adapter) != null) {
        AdapterDatasets.Resolution dataset = AdapterDatasets.resolve(adapter, client.resources(SentimentPipeline.class)
            .inNamespace(adapter.getMetadata().getNamespace()).withName(AdapterDatasets.pipelineName(adapter)).get());
        if (dataset.source() == null) {
          return withReady(storage, Conditions.of(TrainingState.TRAINING, false, dataset.reason(), dataset.message()));
        }
        labelled = dataset.source();
      }
      if (networkPolicies) {
        // Before the Job, so its pods never run unconfined; once per generation, like the Job (no resync writes).
        ServerSideApply.apply(client, NetworkPolicies.forAdapter(adapter, labelled));
      }
      // Created once per generation and never re-applied: a Job's pod template is immutable.
      job = ServerSideApply.apply(client, ModelAdapterObjects.job(adapter, images, labelled));
    }
    List<Pod> pods = context.getSecondaryResourcesAsStream(Pod.class)
        .filter(p -> jobName.equals(p.getMetadata().getLabels().get(ModelAdapterObjects.JOB_LABEL))).toList();
    TrainingState state = TrainingState.of(adapter, job, pods);
    status.setPhase(state.phase());
    // While a new generation trains (or fails), the adapter promoted before stays where pipelines find it.
    String previous = adapter.getStatus() == null ? null : adapter.getStatus().getAdapterPath();
    status.setAdapterPath(state.adapterPath() != null || state.promoted() != null ? state.adapterPath() : previous);
    status.setMetrics(state.metrics());
    status.setChatTemplate(TrainingState.chatTemplate(adapter, pods, status.getAdapterPath()));
    return state.promoted() == null ? withReady(storage, state.training())
        : withReady(storage, state.training(), state.promoted());
  }

  private static List<PulseCondition> withReady(PulseCondition training) {
    return List.of(Conditions.ready(List.of(training), "The adapter is trained and ready to serve"), training);
  }

  /** The storage condition warns but does not gate Ready: a first training on ReadWriteOnce storage works. */
  private static List<PulseCondition> withReady(PulseCondition storage, PulseCondition training) {
    return List.of(Conditions.ready(List.of(training), "The adapter is trained and ready to serve"), training, storage);
  }

  /** With the escalation gate's verdict: an adapter that is not promoted is not ready to serve. */
  private static List<PulseCondition> withReady(PulseCondition storage, PulseCondition training,
      PulseCondition promoted) {
    return List.of(Conditions.ready(List.of(training, promoted), "The adapter is trained, beats the light scorer"
        + " and is ready to serve"), training, promoted, storage);
  }

  /**
   * The output claim's access modes ({@link AdapterStorage}), read when a generation's Job is created or while the
   * claim was missing; otherwise the condition of the status is kept, so a resync sends no request.
   */
  private static PulseCondition storage(KubernetesClient client, ModelAdapter adapter, boolean creatingJob) {
    Optional<PulseCondition> known = adapter.getStatus() == null ? Optional.empty()
        : adapter.getStatus().condition(AdapterStorage.STORAGE).filter(c -> !"Unknown".equals(c.getStatus()));
    if (known.isPresent() && !creatingJob) {
      return known.get();
    }
    return AdapterStorage.condition(adapter, client.persistentVolumeClaims()
        .inNamespace(adapter.getMetadata().getNamespace())
        .withName(adapter.getSpec().getOutput().getPvc().getClaimName()).get());
  }

  /** The base model's Hub token Secret and the dataset ConfigMap, which the pod cannot start without. */
  static Optional<References.Problem> unresolvedReference(KubernetesClient client, ModelAdapter adapter) {
    ModelAdapterSpec spec = adapter.getSpec();
    String namespace = adapter.getMetadata().getNamespace();
    Optional<References.Problem> token = spec.getBaseModel().getHubTokenSecret() == null ? Optional.empty()
        : References.secretKey(client, namespace, spec.getBaseModel().getHubTokenSecret().getName(),
            spec.getBaseModel().getHubTokenSecret().keyOr("token"), "Hugging Face Hub token");
    return token.or(() -> spec.getDataset().getConfigMap() == null ? Optional.empty()
        : References.configMapKey(client, namespace, spec.getDataset().getConfigMap().getName(),
            spec.getDataset().getConfigMap().getKey(), "training dataset"));
  }

  private static void deleteOtherGenerations(KubernetesClient client, Context<ModelAdapter> context, String current) {
    context.getSecondaryResourcesAsStream(Job.class)
        .filter(j -> !current.equals(j.getMetadata().getName()) && j.getMetadata().getDeletionTimestamp() == null)
        .forEach(j -> client.batch().v1().jobs().inNamespace(j.getMetadata().getNamespace())
            .withName(j.getMetadata().getName()).withPropagationPolicy(DeletionPropagation.BACKGROUND).delete());
  }

  @Override
  protected Optional<Duration> recheckAfter(ModelAdapter adapter, ModelAdapterStatus status) {
    return status.condition(TrainingState.TRAINING)
        .filter(c -> References.SECRET_MISSING.equals(c.getReason())
            || References.CONFIG_MAP_MISSING.equals(c.getReason())
            || AdapterDatasets.PIPELINE_MISSING.equals(c.getReason()))
        .map(c -> RECHECK_MISSING_REFERENCE);
  }

  @Override
  protected boolean sameExtraStatus(ModelAdapterStatus previous, ModelAdapterStatus next) {
    return previous.getPhase() == next.getPhase() && Objects.equals(previous.getJobName(), next.getJobName())
        && Objects.equals(previous.getAdapterPath(), next.getAdapterPath())
        && Objects.equals(previous.getChatTemplate(), next.getChatTemplate())
        && sameMetrics(previous.getMetrics(), next.getMetrics());
  }

  private static boolean sameMetrics(AdapterMetrics a, AdapterMetrics b) {
    if (a == null || b == null) {
      return a == b;
    }
    return Objects.equals(a.getAccuracy(), b.getAccuracy()) && Objects.equals(a.getMacroRecall(), b.getMacroRecall())
        && Objects.equals(a.getEvalLoss(), b.getEvalLoss()) && Objects.equals(a.getEvalSamples(), b.getEvalSamples());
  }
}
