package dev.pulse.operator.pipeline;

import dev.pulse.crd.common.PulseCondition;
import dev.pulse.crd.v1alpha1.ModelAdapter;
import dev.pulse.operator.adapter.AdapterStorage;
import dev.pulse.crd.v1alpha1.ModelAdapterStatus;
import dev.pulse.crd.v1alpha1.SentimentPipeline;
import dev.pulse.crd.v1alpha1.SentimentPipelineStatus;
import dev.pulse.crd.v1alpha1.pipeline.FeedSelection;
import dev.pulse.operator.kafka.TopicsOutcome;
import dev.pulse.operator.pipeline.spark.SparkApplication;
import dev.pulse.operator.qdrant.CollectionCheck;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.strimzi.api.kafka.model.topic.KafkaTopic;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * One condition per part of a pipeline, each computed from what the part's controller reports (Strimzi's
 * KafkaTopic condition, the Spark operator's application state, Deployment availability, Qdrant's answer),
 * with a reason a program can match and a message that says what to do. Pure functions of observed objects.
 */
public final class PipelineConditions {

  public static final String TOPICS = "Topics";
  public static final String SPARK = "Spark";
  public static final String LLM = "LLM";
  public static final String VECTOR_STORE = "VectorStore";
  /** LLM: the ModelAdapter was trained on another base model than spec.llm.baseModel. */
  public static final String BASE_MODEL_MISMATCH = "BaseModelMismatch";
  public static final String DASHBOARD = "Dashboard";
  public static final String MONITORING = "Monitoring";
  public static final String SUSPENDED = "Suspended";

  private static final Set<String> SPARK_FAILED = Set.of("FAILED", "SUBMISSION_FAILED", "FAILING", "INVALIDATING");

  private PipelineConditions() {}

  static PulseCondition of(String type, boolean ok, String reason, String message) {
    return new PulseCondition(type, ok ? "True" : "False", reason, message);
  }

  /** The reason of a part that needs a Strimzi cluster in a cluster that serves no KafkaTopic CRD. */
  public static final String STRIMZI_NOT_INSTALLED = "StrimziNotInstalled";
  /** The reason of the Spark part in a cluster that serves no SparkApplication CRD. */
  public static final String SPARK_OPERATOR_NOT_INSTALLED = "SparkOperatorNotInstalled";

  /** Topics on a Strimzi cluster: the feeds, then the output KafkaTopics as Strimzi reports them. */
  public static PulseCondition topics(SentimentPipeline p, FeedResolution feeds, List<KafkaTopic> outputs) {
    Optional<PulseCondition> feedProblem = feedProblem(p, feeds);
    if (feedProblem.isPresent()) {
      return feedProblem.get();
    }
    for (KafkaTopic topic : outputs) {
      Optional<io.strimzi.api.kafka.model.common.Condition> ready = topic.getStatus() == null
          || topic.getStatus().getConditions() == null ? Optional.empty()
          : topic.getStatus().getConditions().stream().filter(c -> "Ready".equals(c.getType())).findFirst();
      if (ready.isEmpty()) {
        return of(TOPICS, false, "TopicsPending", "Waiting for Strimzi's topic operator to create topic "
            + topic.getSpec().getTopicName() + " on Kafka cluster " + p.getSpec().getKafka().getClusterName()
            + " (KafkaTopic " + topic.getMetadata().getName() + " has no Ready condition yet); check that the "
            + "cluster exists and its topic operator runs.");
      }
      if (!"True".equals(ready.get().getStatus())) {
        return of(TOPICS, false, "TopicNotReady", "KafkaTopic " + topic.getMetadata().getName() + " is not ready ("
            + ready.get().getReason() + "): " + ready.get().getMessage());
      }
    }
    return of(TOPICS, true, "TopicsReady", "Reading " + feeds.feeds().size() + " feed(s) (" + String.join(", ", feeds.names())
        + "); the " + outputs.size() + " output topics are ready.");
  }

  /** Topics on a Kafka without Strimzi: the feeds, then what the Kafka Admin API found for the output topics. */
  public static PulseCondition topics(SentimentPipeline p, FeedResolution feeds, TopicsOutcome outputs) {
    Optional<TopicsOutcome.Problem> problem = outputs.firstProblem();
    if (problem.isPresent() && TopicsOutcome.UNREACHABLE.equals(problem.get().reason())) {
      return of(TOPICS, false, problem.get().reason(), problem.get().message());
    }
    Optional<PulseCondition> feedProblem = feedProblem(p, feeds);
    if (feedProblem.isPresent()) {
      return feedProblem.get();
    }
    if (problem.isPresent()) {
      return of(TOPICS, false, problem.get().reason(), problem.get().message());
    }
    return of(TOPICS, true, "TopicsReady", "Reading " + feeds.feeds().size() + " feed(s) (" + String.join(", ", feeds.names())
        + "); the " + outputs.topics().size() + " output topics exist on Kafka " + outputs.bootstrapServers()
        + " (managed by the operator through the Kafka Admin API).");
  }

  /** Topics of a pipeline on a Strimzi cluster when the cluster serves no KafkaTopic CRD. */
  public static PulseCondition strimziNotInstalled(SentimentPipeline p) {
    return of(TOPICS, false, STRIMZI_NOT_INSTALLED, "spec.kafka.clusterName names a Strimzi cluster ("
        + p.getSpec().getKafka().getClusterName() + ") but no KafkaTopic CRD (kafka.strimzi.io) is served, so the output "
        + "topics cannot be requested; install Strimzi >= 0.49 or set kafka.bootstrapServers. The rest of the "
        + "pipeline is deployed regardless; the operator looks again every minute.");
  }

  /** Spark of a pipeline in a cluster that serves no SparkApplication CRD. */
  public static PulseCondition sparkOperatorNotInstalled(SentimentPipeline p) {
    return of(SPARK, false, SPARK_OPERATOR_NOT_INSTALLED, "No SparkApplication CRD (" + ApiDiscovery.SPARK_API_VERSION
        + ") is served, so the scoring job " + PipelineNames.sparkApplication(p) + " cannot be submitted; install the "
        + "Kubeflow Spark operator with namespace " + p.getMetadata().getNamespace() + " among its spark.jobNamespaces. "
        + "The topics and the dashboard are deployed regardless; the operator looks again every minute.");
  }

  /** What is wrong with the pipeline's feed selection, if anything. */
  private static Optional<PulseCondition> feedProblem(SentimentPipeline p, FeedResolution feeds) {
    String ns = p.getMetadata().getNamespace();
    if (feeds.feeds().isEmpty()) {
      return Optional.of(of(TOPICS, false, "NoFeeds", "No SourceFeed in namespace " + ns + " matches spec.feeds ("
          + describe(p.getSpec().getFeeds()) + "); create one or fix the selection. The Spark job waits suspended."));
    }
    if (!feeds.missing().isEmpty()) {
      return Optional.of(of(TOPICS, false, "FeedsMissing", "SourceFeed " + String.join(", ", feeds.missing())
          + " named in spec.feeds.names does not exist in namespace " + ns + "; the pipeline reads the other "
          + feeds.feeds().size() + " (" + String.join(", ", feeds.names()) + "). Create it or remove the name."));
    }
    if (!feeds.otherCluster().isEmpty()) {
      return Optional.of(of(TOPICS, false, "FeedOnOtherCluster", "SourceFeed " + String.join(", ", feeds.otherCluster())
          + " writes to another Kafka than the pipeline's (" + PipelineDefaults.bootstrapServers(p)
          + "); the Spark job cannot read it. Move the feed to that Kafka or remove it from the selection."));
    }
    return Optional.empty();
  }

  /** How long a SparkApplication may sit with no state before the Spark part says no spark-operator is watching. */
  public static final java.time.Duration UNOBSERVED_AFTER = java.time.Duration.ofMinutes(3);

  /**
   * As {@link #spark(SentimentPipeline, FeedResolution, SparkApplication)}, and a SparkApplication that has had no
   * state for {@link #UNOBSERVED_AFTER} since it was created is reported as unobserved: spark-operator's controller
   * acts only in its spark.jobNamespaces, and outside them nothing ever happens to the application.
   */
  public static PulseCondition spark(SentimentPipeline p, FeedResolution feeds, SparkApplication app,
      java.time.Instant now) {
    PulseCondition c = spark(p, feeds, app);
    if (!"SparkPending".equals(c.getReason()) || app == null || app.getMetadata().getCreationTimestamp() == null) {
      return c;
    }
    java.time.Instant created = java.time.Instant.parse(app.getMetadata().getCreationTimestamp());
    if (created.plus(UNOBSERVED_AFTER).isAfter(now)) {
      return c;
    }
    return of(SPARK, false, "SparkApplicationUnobserved", "SparkApplication " + app.getMetadata().getName()
        // No running count of minutes: a message that changes every minute is a status write every resync.
        + " has had no state since it was created at " + app.getMetadata().getCreationTimestamp() + " (over "
        + UNOBSERVED_AFTER.toMinutes() + " minutes): no Spark operator acts on it. Add namespace " + p.getMetadata().getNamespace() + " to the Spark operator's "
        + "spark.jobNamespaces (Helm value; it must be >= 2.4), check that its controller runs, or set "
        + "spec.spark.launcher: Native to let the Pulse operator run the driver.");
  }

  public static PulseCondition spark(SentimentPipeline p, FeedResolution feeds, SparkApplication app) {
    String name = app == null ? PipelineNames.sparkApplication(p) : app.getMetadata().getName();
    if (PipelineDefaults.suspended(p)) {
      return of(SPARK, false, SUSPENDED, "spec.suspend is true: SparkApplication " + name + " is suspended; "
          + "checkpoints are kept and it resumes where it stopped.");
    }
    if (feeds.topics().isEmpty()) {
      return of(SPARK, false, "WaitingForFeeds", "SparkApplication " + name + " stays suspended until a readable "
          + "SourceFeed is selected (see the Topics condition).");
    }
    String state = state(app);
    if (state == null) {
      return of(SPARK, false, "SparkPending", "SparkApplication " + name + " has no state yet; the Spark operator "
          + "sets it when it submits the job. If it stays empty, check that the Spark operator runs and watches "
          + "namespace " + p.getMetadata().getNamespace() + ".");
    }
    if ("RUNNING".equals(state)) {
      return of(SPARK, true, "Running", "SparkApplication " + name + " is RUNNING, scoring in "
          + (SparkApplications.realTime(p) ? "real-time mode (one task per feed-topic partition, "
              + feeds.partitions() + " in all)" : "micro-batches") + ".");
    }
    String error = app.getStatus().getApplicationState().getErrorMessage();
    if (SPARK_FAILED.contains(state)) {
      return of(SPARK, false, "SparkFailed", "SparkApplication " + name + " is " + state
          + (error == null || error.isBlank() ? "" : ": " + error)
          + ". See the driver's log (kubectl logs " + name + "-driver); it is retried per spec.spark.restartPolicy.");
    }
    if ("COMPLETED".equals(state)) {
      return of(SPARK, false, "SparkCompleted", "SparkApplication " + name + " completed, but a streaming job "
          + "should never end; see the driver's log (kubectl logs " + name + "-driver).");
    }
    return of(SPARK, false, "SparkProgressing", "SparkApplication " + name + " is " + state + ".");
  }

  /** The LLM part: off, waiting for the adapter, missing its token, or the state of vLLM and the gateway. */
  public static PulseCondition llm(SentimentPipeline p, LlmWait wait, Deployment vllm, Deployment gateway,
      RenderInputs inputs) {
    if (PipelineDefaults.llm(p) == null) {
      return of(LLM, true, "Disabled", "LLM escalation is off (spec.llm): the light score stands for every post.");
    }
    if (wait != null) {
      return of(LLM, false, wait.reason(), wait.message());
    }
    if (PipelineDefaults.suspended(p)) {
      return of(LLM, false, SUSPENDED, "spec.suspend is true: vLLM and the gateway are scaled to zero.");
    }
    boolean cpu = p.getSpec().getLlm().llamaCpp();
    if (!available(vllm)) {
      return of(LLM, false, "VllmProgressing", cpu
          ? "Waiting for the llama.cpp server (Deployment " + PipelineNames.vllm(p) + ", CPU) to become available: "
              + replicas(vllm) + ". If pods stay Pending, check that a node has the requested CPU and memory."
          : "Waiting for vLLM (Deployment " + PipelineNames.vllm(p) + ") to become "
          + "available: " + replicas(vllm) + ". Loading " + p.getSpec().getLlm().getBaseModel() + " takes minutes; "
          + "if pods stay Pending, check that a node offers the requested GPU.");
    }
    if (!available(gateway)) {
      return of(LLM, false, "GatewayProgressing", "Waiting for the LLM gateway (Deployment " + PipelineNames.gateway(p)
          + ") to become available: " + replicas(gateway) + ".");
    }
    ModelAdapter served = VllmServer.servable(inputs);
    return of(LLM, true, "Serving", (cpu ? "llama.cpp (CPU) serves " : "vLLM serves ") + (served == null ? "the base model "
        + p.getSpec().getLlm().getBaseModel() : "adapter " + served.getMetadata().getName() + " on "
        + p.getSpec().getLlm().getBaseModel()) + "; the gateway is available." + notPromoted(served)
        + notShared(served));
  }

  /** The adapter's claim is not ReadWriteMany: serving works, but its next retrain can hang (AdapterStorage). */
  private static String notShared(ModelAdapter served) {
    return served == null || served.getStatus() == null ? "" : served.getStatus().condition(AdapterStorage.STORAGE)
        .filter(c -> "False".equals(c.getStatus())).map(c -> " A retrain may hang: " + c.getMessage()).orElse("");
  }

  /** When the served adapter's latest generation failed the escalation gate, the adapter promoted before serves. */
  private static String notPromoted(ModelAdapter served) {
    return served == null || served.getStatus() == null ? "" : served.getStatus().condition("Promoted")
        .filter(c -> !c.holds()).map(c -> " Its latest training was not promoted: " + c.getMessage()).orElse("");
  }

  /** Why the LLM part is held back: the adapter is missing or not trained yet, or a Secret is missing. */
  public record LlmWait(String reason, String message) {

    public static LlmWait forAdapter(String ref, ModelAdapter adapter) {
      return forAdapter(ref, adapter, null);
    }

    /**
     * @param baseModel the model vLLM serves (spec.llm.baseModel), checked against the one the adapter was trained on;
     *     null skips the check (llama.cpp names a GGUF file, not the Hub model the adapter names)
     */
    public static LlmWait forAdapter(String ref, ModelAdapter adapter, String baseModel) {
      if (adapter == null) {
        return new LlmWait("AdapterNotFound", "ModelAdapter " + ref + " (spec.llm.modelAdapterRef) does not exist in "
            + "this namespace; create it or remove the reference to serve the base model.");
      }
      String trainedOn = adapter.getSpec() == null || adapter.getSpec().getBaseModel() == null ? null
          : adapter.getSpec().getBaseModel().getName();
      if (baseModel != null && trainedOn != null && !trainedOn.equals(baseModel)) {
        // A LoRA adapter's weights fit only the model it was trained on: vLLM would refuse it or serve nonsense.
        return new LlmWait(BASE_MODEL_MISMATCH, "ModelAdapter " + ref + " was trained on " + trainedOn
            + " but spec.llm.baseModel is " + baseModel + ": an adapter fits only its own base model. Set "
            + "spec.llm.baseModel to " + trainedOn + " or reference an adapter trained on " + baseModel
            + "; the LLM server is left as it is until then.");
      }
      ModelAdapterStatus s = adapter.getStatus();
      ModelAdapterStatus.Phase phase = s == null || s.getPhase() == null ? ModelAdapterStatus.Phase.Pending : s.getPhase();
      if (phase == ModelAdapterStatus.Phase.Succeeded && s.getAdapterPath() != null) {
        return null;
      }
      var promoted = s == null ? java.util.Optional.<PulseCondition>empty() : s.condition("Promoted");
      if (phase == ModelAdapterStatus.Phase.Succeeded && promoted.isPresent() && !promoted.get().holds()) {
        // The escalation gate (the trainer's evaluation against the light scorer) refused it, and none was before.
        return new LlmWait("AdapterNotPromoted", "ModelAdapter " + ref + ": " + promoted.get().getMessage());
      }
      String why = phase == ModelAdapterStatus.Phase.Failed
          ? " Its training failed: see kubectl describe modeladapter " + ref + "; fix it and it retrains."
          : " vLLM is deployed (or updated) once it has Succeeded.";
      return new LlmWait("AdapterNotReady", "ModelAdapter " + ref + " is " + phase + "." + why);
    }
  }

  public static PulseCondition vectorStore(CollectionCheck check) {
    return of(VECTOR_STORE, check.ok(), check.reason(), check.message());
  }

  public static PulseCondition dashboard(SentimentPipeline p, Deployment deployment, String url) {
    if (PipelineDefaults.dashboard(p) == null) {
      return of(DASHBOARD, true, "Disabled", "The dashboard is disabled (spec.dashboard.enabled=false).");
    }
    if (PipelineDefaults.suspended(p)) {
      return of(DASHBOARD, false, SUSPENDED, "spec.suspend is true: the dashboard is scaled to zero.");
    }
    if (Integer.valueOf(0).equals(PipelineDefaults.dashboard(p).getReplicas())) {
      // Asked for: nothing to wait for, so it must not hold Ready back (it did: 0 available never reached 0 > 0).
      return of(DASHBOARD, true, "ScaledToZero", "spec.dashboard.replicas is 0: no dashboard pod runs, so "
          + PipelineNames.dashboard(p) + " answers nothing until replicas is raised.");
    }
    if (!available(deployment)) {
      return of(DASHBOARD, false, "DashboardProgressing", "Waiting for Deployment " + PipelineNames.dashboard(p)
          + " to become available: " + replicas(deployment) + ".");
    }
    return of(DASHBOARD, true, "Available", "The dashboard is available at " + url + ".");
  }

  public static PulseCondition monitoring(SentimentPipeline p, RenderInputs.MonitoringSupport support) {
    if (support.serviceMonitor() && support.prometheusRule()) {
      return of(MONITORING, true, "Monitored", Monitoring.summary(p, support));
    }
    if (!support.serviceMonitor() && !support.prometheusRule()) {
      return of(MONITORING, false, "PrometheusOperatorAbsent", "The cluster serves no monitoring.coreos.com/v1 "
          + "ServiceMonitor or PrometheusRule, so none was created; install the Prometheus operator's CRDs to get "
          + "scraping and alerts. The pipeline runs without them.");
    }
    String has = support.serviceMonitor() ? "ServiceMonitor" : "PrometheusRule";
    String lacks = support.serviceMonitor() ? "PrometheusRule" : "ServiceMonitor";
    return of(MONITORING, false, "PartialMonitoring", "Only " + has + " is served by this cluster; created it, "
        + "but no " + lacks + ". Install the missing monitoring.coreos.com CRD to complete monitoring.");
  }

  /** The parts Ready summarises. Monitoring is optional and never holds a pipeline back. */
  public static List<PulseCondition> readinessParts(List<PulseCondition> all) {
    return all.stream().filter(c -> !MONITORING.equals(c.getType())).toList();
  }

  public static SentimentPipelineStatus.Phase phase(SentimentPipeline p, boolean ready, SparkApplication app) {
    return phase(p, ready, state(app));
  }

  /** The phase from the Spark job's state word (a SparkApplication's, or the Native driver's: SparkDriverStatus). */
  public static SentimentPipelineStatus.Phase phase(SentimentPipeline p, boolean ready, String state) {
    if (PipelineDefaults.suspended(p)) {
      return SentimentPipelineStatus.Phase.Suspended;
    }
    if (ready) {
      return SentimentPipelineStatus.Phase.Running;
    }
    if (state != null && SPARK_FAILED.contains(state)) {
      return SentimentPipelineStatus.Phase.Failed;
    }
    if ("RUNNING".equals(state)) {
      return SentimentPipelineStatus.Phase.Degraded;
    }
    return state == null ? SentimentPipelineStatus.Phase.Pending : SentimentPipelineStatus.Phase.Provisioning;
  }

  public static String state(SparkApplication app) {
    return app == null || app.getStatus() == null || app.getStatus().getApplicationState() == null
        ? null : app.getStatus().getApplicationState().getState();
  }

  static boolean available(Deployment d) {
    if (d == null || d.getSpec() == null) {
      return false;
    }
    int want = d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas();
    int have = d.getStatus() == null || d.getStatus().getAvailableReplicas() == null ? 0 : d.getStatus().getAvailableReplicas();
    return want > 0 && have >= want;
  }

  private static String replicas(Deployment d) {
    if (d == null) {
      return "not created yet";
    }
    int want = d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas();
    int have = d.getStatus() == null || d.getStatus().getAvailableReplicas() == null ? 0 : d.getStatus().getAvailableReplicas();
    return have + "/" + want + " replicas available";
  }

  private static String describe(FeedSelection s) {
    String names = s.getNames() == null || s.getNames().isEmpty() ? "" : "names " + s.getNames();
    String labels = s.getMatchLabels() == null || s.getMatchLabels().isEmpty() ? "" : "labels " + s.getMatchLabels();
    String both = names + (names.isEmpty() || labels.isEmpty() ? "" : ", ") + labels;
    return both.isEmpty() ? "nothing" : both;
  }
}
