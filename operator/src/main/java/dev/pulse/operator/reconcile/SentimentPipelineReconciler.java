package dev.pulse.operator.reconcile;

import dev.pulse.operator.support.Conditions;

import dev.pulse.crd.common.PulseCondition;
import dev.pulse.crd.v1alpha1.ModelAdapter;
import dev.pulse.crd.v1alpha1.SentimentPipeline;
import dev.pulse.crd.v1alpha1.SentimentPipelineStatus;
import dev.pulse.crd.v1alpha1.SourceFeed;
import dev.pulse.crd.v1alpha1.pipeline.DashboardSpec;
import dev.pulse.crd.v1alpha1.pipeline.LlmSpec;
import dev.pulse.operator.pipeline.ApiDiscovery;
import dev.pulse.operator.pipeline.Dashboard;
import dev.pulse.operator.pipeline.FeedResolution;
import dev.pulse.operator.pipeline.GatewayTokens;
import dev.pulse.operator.pipeline.OutputTopics;
import dev.pulse.operator.pipeline.PipelineConditions;
import dev.pulse.operator.pipeline.PipelineConditions.LlmWait;
import dev.pulse.operator.pipeline.PipelineDefaults;
import dev.pulse.operator.pipeline.PipelineNames;
import dev.pulse.operator.network.NetworkPolicies;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import dev.pulse.operator.pipeline.RenderInputs;
import dev.pulse.operator.pipeline.SentimentPipelineObjects;
import dev.pulse.operator.pipeline.SparkApplications;
import dev.pulse.operator.pipeline.SparkDriver;
import dev.pulse.operator.pipeline.SparkDriverStatus;
import dev.pulse.operator.pipeline.SparkLaunchers;
import dev.pulse.operator.support.OwnedObjects;
import dev.pulse.operator.pipeline.VllmServer;
import dev.pulse.operator.pipeline.spark.SparkApplication;
import dev.pulse.operator.qdrant.CollectionCheck;
import dev.pulse.operator.qdrant.QdrantCollections;
import dev.pulse.operator.pipeline.VectorStoreAccess;
import dev.pulse.operator.support.EventRecorder;
import dev.pulse.operator.support.OwnedInformers;
import dev.pulse.operator.support.PulseImages;
import dev.pulse.operator.support.References;
import dev.pulse.operator.support.ServerSideApply;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.strimzi.api.kafka.model.topic.KafkaTopic;
import java.time.Clock;
import java.time.Duration;
import dev.pulse.operator.kafka.KafkaAddresses;
import dev.pulse.operator.kafka.KafkaClientSecurity;
import dev.pulse.operator.kafka.KafkaTopicAdmin;
import dev.pulse.operator.kafka.TopicsOutcome;
import dev.pulse.operator.support.StrimziTopics;
import io.javaoperatorsdk.operator.api.reconciler.MaxReconciliationInterval;
import io.javaoperatorsdk.operator.processing.retry.GradualRetry;
import java.util.concurrent.TimeUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reconciles a SentimentPipeline: resolve its feeds and ModelAdapter, render every object it owns
 * ({@link SentimentPipelineObjects}, the same pure function {@code ./pulse render} prints), server-side apply
 * them, make sure its Qdrant collection exists and matches, and report one condition per part. The collection
 * is deleted by a finalizer ({@link Cleaner}) unless {@code spec.vectorStore.retainOnDelete}. Output topics are
 * KafkaTopics on a Strimzi cluster, or made through the Kafka Admin API on any other Kafka. Objects of a kind the
 * cluster does not serve (no Strimzi, no Spark operator) are not applied; their part says so in its condition and the
 * rest of the pipeline is reconciled as usual.
 */
// As the other two: failures retry from 2 s doubling to 5 min, then the 10-minute resync keeps trying.
@GradualRetry(maxAttempts = 10, initialInterval = 2_000, intervalMultiplier = 2, maxInterval = 300_000)
@ControllerConfiguration(name = "sentimentpipeline",
    maxReconciliationInterval = @MaxReconciliationInterval(interval = 10, timeUnit = TimeUnit.MINUTES))
public class SentimentPipelineReconciler extends FoundationReconciler<SentimentPipeline, SentimentPipelineStatus>
    implements Cleaner<SentimentPipeline> {

  private static final Logger log = LoggerFactory.getLogger(SentimentPipelineReconciler.class);
  /** How soon to look again at a pipeline that is on its way; owned objects' changes come sooner by informer. */
  static final Duration PROGRESS_RECHECK = Duration.ofMinutes(1);
  /** A Ready pipeline's periodic check: Qdrant is not watched, so drift made there is found within this. */
  static final Duration READY_RECHECK = Duration.ofMinutes(10);
  /** How soon to look again at a Native Spark driver and its executors on their way up. */
  static final Duration NATIVE_SPARK_RECHECK = Duration.ofSeconds(10);

  private final Clock clock;
  private final PulseImages images;
  private final QdrantCollections qdrant;
  private final EventRecorder events;
  private final Duration apiRecheck;
  private final KafkaTopicAdmin kafka;
  private final OptionalInformers<SentimentPipeline> optional = new OptionalInformers<>(true, true,
      List.of(OptionalInformers.SERVICE_MONITOR, OptionalInformers.PROMETHEUS_RULE, OptionalInformers.POD_MONITOR));
  private volatile ApiDiscovery discovery;

  private boolean networkPolicies = true;

  /** Whether the pipeline's workloads get NetworkPolicies (pulse.operator.network-policies; on by default). */
  public SentimentPipelineReconciler networkPolicies(boolean on) {
    this.networkPolicies = on;
    return this;
  }

  public SentimentPipelineReconciler() {
    this(PulseImages.defaults());
  }

  /** With the images the operator is configured with (pulse.operator.images.*, set by the Helm chart). */
  public SentimentPipelineReconciler(PulseImages images) {
    this(images, ApiDiscovery.TTL, new KafkaTopicAdmin());
  }

  /**
   * @param apiRecheck how long discovery answers are kept, and how soon a pipeline waiting for an optional CRD
   *     (Strimzi, the Spark operator) looks again
   * @param kafka topics on a Kafka without Strimzi (shared: it keeps one Admin client per Kafka)
   */
  public SentimentPipelineReconciler(PulseImages images, Duration apiRecheck, KafkaTopicAdmin kafka) {
    this(Clock.systemUTC(), images, new QdrantCollections(), apiRecheck, kafka);
  }

  SentimentPipelineReconciler(Clock clock, PulseImages images, QdrantCollections qdrant) {
    this(clock, images, qdrant, ApiDiscovery.TTL, new KafkaTopicAdmin());
  }

  SentimentPipelineReconciler(Clock clock, PulseImages images, QdrantCollections qdrant, Duration apiRecheck,
      KafkaTopicAdmin kafka) {
    super(clock, SentimentPipelineStatus::new);
    this.clock = clock;
    this.images = images;
    this.qdrant = qdrant;
    this.events = new EventRecorder(clock);
    this.apiRecheck = apiRecheck;
    this.kafka = kafka;
  }

  /** The images this reconciler puts into the objects it creates. */
  public PulseImages images() {
    return images;
  }

  @Override
  public List<EventSource<?, SentimentPipeline>> prepareEventSources(EventSourceContext<SentimentPipeline> context) {
    List<EventSource<?, SentimentPipeline>> sources =
        new ArrayList<>(optional.initial(context, discovery(context.getClient())));
    sources.add(OwnedInformers.owned(Deployment.class, context));
    // Every other owned kind too: a resync compares with these caches instead of re-applying (ServerSideApply
    // .applyIfChanged), and a manual edit or delete is repaired at once instead of at the next recheck.
    sources.add(OwnedInformers.owned(io.fabric8.kubernetes.api.model.Service.class, context));
    sources.add(OwnedInformers.owned(io.fabric8.kubernetes.api.model.ConfigMap.class, context));
    sources.add(OwnedInformers.owned(io.fabric8.kubernetes.api.model.ServiceAccount.class, context));
    sources.add(OwnedInformers.owned(io.fabric8.kubernetes.api.model.PersistentVolumeClaim.class, context));
    sources.add(OwnedInformers.owned(io.fabric8.kubernetes.api.model.rbac.Role.class, context));
    sources.add(OwnedInformers.owned(io.fabric8.kubernetes.api.model.rbac.RoleBinding.class, context));
    sources.add(OwnedInformers.owned(io.fabric8.kubernetes.api.model.networking.v1.Ingress.class, context));
    sources.add(OwnedInformers.owned(NetworkPolicy.class, context));
    sources.add(referenced(ModelAdapter.class, context,
        (adapter, pipeline) -> pipeline.getSpec().getLlm() != null
            && adapter.getMetadata().getName().equals(pipeline.getSpec().getLlm().getModelAdapterRef())));
    // Only the pipelines a feed change concerns (named, selected, or read so far), not the whole namespace.
    sources.add(referenced(SourceFeed.class, context, (feed, pipeline) -> FeedResolution.concerns(pipeline, feed)));
    return sources;
  }

  /** Informer on a Pulse kind that pipelines refer to (not own): a change reconciles the pipelines that use it. */
  private static <R extends HasMetadata> InformerEventSource<R, SentimentPipeline> referenced(Class<R> kind,
      EventSourceContext<SentimentPipeline> context, java.util.function.BiPredicate<R, SentimentPipeline> uses) {
    return new InformerEventSource<>(InformerEventSourceConfiguration.from(kind, SentimentPipeline.class)
        .withName("SentimentPipeline-" + kind.getSimpleName())
        .withItemStore(OwnedInformers.leanStore(kind, context))
        .withSecondaryToPrimaryMapper(object -> context.getPrimaryCache()
            .list(object.getMetadata().getNamespace(), pipeline -> uses.test(object, pipeline))
            .map(ResourceID::fromResource)
            .collect(Collectors.toSet()))
        .withNamespacesInheritedFromController()
        .build(), context);
  }

  @Override
  protected List<PulseCondition> observe(SentimentPipeline p, SentimentPipelineStatus status,
      Context<SentimentPipeline> context) {
    KubernetesClient client = context.getClient();
    FeedResolution feeds = FeedResolution.resolve(client, p);
    LlmSpec llm = PipelineDefaults.llm(p);
    ModelAdapter adapter = llm == null || llm.getModelAdapterRef() == null ? null
        : client.resources(ModelAdapter.class).inNamespace(p.getMetadata().getNamespace())
            .withName(llm.getModelAdapterRef()).get();
    ApiDiscovery apis = discovery(client);
    optional.catchUp(context, apis);
    Optional<String> topicVersion = apis.kafkaTopicVersion();
    boolean sparkServed = apis.sparkApplications();
    RenderInputs inputs = new RenderInputs(images, feeds.topics(), adapter, apis.monitoring(), feeds.partitions(),
        sparkServed);
    boolean nativeSpark = SparkLaunchers.isNative(p, inputs);
    // The gateway's token first, whatever else the LLM waits for: the dashboard and the Spark job read it too.
    Optional<References.Problem> gatewayToken = llm == null ? Optional.empty() : GatewayTokens.ensure(client, p, llm);
    LlmWait llmWait = llm == null ? null : gatewayToken.map(t -> new LlmWait(t.reason(), t.message()))
        .orElseGet(() -> llmWait(client, p, llm, adapter));

    Map<String, HasMetadata> applied = new LinkedHashMap<>();
    Map<String, String> applyErrors = new LinkedHashMap<>();
    List<HasMetadata> desired = new java.util.ArrayList<>(SentimentPipelineObjects.desired(p, inputs));
    if (networkPolicies) {
      desired.addAll(NetworkPolicies.forPipeline(p));
    }
    prune(client, p, desired, context, sparkServed);
    for (HasMetadata object : desired) {
      if (llmWait != null && object instanceof Deployment && isLlmWorkload(p, object)) {
        // Held back: an existing vLLM keeps serving the previous adapter while a new one trains.
        continue;
      }
      if (object instanceof SparkApplication && !sparkServed) {
        continue; // reported as SparkOperatorNotInstalled
      }
      HasMetadata served = object;
      if (object instanceof KafkaTopic topic) {
        if (topicVersion.isEmpty()) {
          continue; // reported as StrimziNotInstalled
        }
        served = StrimziTopics.inVersion(topic, topicVersion.get(), client);
      }
      try {
        applied.put(key(object), ServerSideApply.applyIfChanged(context, served));
      } catch (KubernetesClientException e) {
        String component = object.getMetadata().getLabels().get("app.kubernetes.io/component");
        applyErrors.putIfAbsent(component, object.getKind() + " " + object.getMetadata().getName()
            + " was rejected by the API server: " + e.getMessage());
        log.warn("apply of {} {}/{} failed: {}", object.getKind(), p.getMetadata().getNamespace(),
            object.getMetadata().getName(), e.getMessage());
      }
    }
    List<KafkaTopic> topics = applied.values().stream().filter(o -> "KafkaTopic".equals(o.getKind()))
        .map(o -> StrimziTopics.read(o, client)).toList();
    SparkApplication spark = (SparkApplication) applied.get("SparkApplication/" + PipelineNames.sparkApplication(p));
    Deployment vllm = deployment(context, applied, PipelineNames.vllm(p));
    Deployment gateway = deployment(context, applied, PipelineNames.gateway(p));
    Deployment dashboard = deployment(context, applied, PipelineNames.dashboard(p));
    DashboardSpec dashboardSpec = PipelineDefaults.dashboard(p);
    String dashboardUrl = dashboardSpec == null ? null : Dashboard.url(p, dashboardSpec);

    CollectionCheck collection = checkCollection(client, p);

    List<PulseCondition> parts = new ArrayList<>();
    parts.add(topicsCondition(p, feeds, topics, topicVersion.isPresent(), applyErrors, context));
    PulseCondition sparkPart;
    String sparkState;
    if (nativeSpark) {
      // Launcher Native: the state of the driver and executor pods themselves.
      SparkDriverStatus.SparkPods pods = SparkDriverStatus.SparkPods.of(client.pods()
          .inNamespace(p.getMetadata().getNamespace()).withLabels(OwnedObjects.selector(p, PipelineNames.SPARK))
          .list().getItems());
      sparkPart = orApplyError(SparkDriverStatus.condition(p, feeds, SparkApplications.executorInstances(p, inputs),
          pods), applyErrors.get(PipelineNames.SPARK));
      sparkState = SparkDriverStatus.state(p, sparkPart);
    } else {
      sparkPart = !sparkServed && !PipelineDefaults.suspended(p) ? PipelineConditions.sparkOperatorNotInstalled(p)
          : orApplyError(PipelineConditions.spark(p, feeds, spark, clock.instant()),
              applyErrors.get(PipelineNames.SPARK));
      sparkState = PipelineConditions.state(spark);
    }
    parts.add(sparkPart);
    parts.add(orApplyError(PipelineConditions.llm(p, llmWait, vllm, gateway, inputs),
        applyErrors.getOrDefault(PipelineNames.VLLM, applyErrors.get(PipelineNames.GATEWAY))));
    parts.add(PipelineConditions.vectorStore(collection));
    parts.add(dashboardToken(client, p).map(problem -> Conditions.of(PipelineConditions.DASHBOARD, false,
            problem.reason(), problem.message()))
        .orElseGet(() -> orApplyError(PipelineConditions.dashboard(p, dashboard, dashboardUrl),
            applyErrors.get(PipelineNames.DASHBOARD))));
    parts.add(orApplyError(PipelineConditions.monitoring(p, inputs.monitoring()), applyErrors.get(PipelineNames.MONITORING)));
    PulseCondition ready = Conditions.ready(PipelineConditions.readinessParts(parts),
        "Pipeline " + p.getMetadata().getName() + " is running: feeds, Spark, LLM, vector store and dashboard are ready.");

    status.setPhase(PipelineConditions.phase(p, ready.holds(), sparkState));
    status.setFeedCount(feeds.feeds().size());
    status.setFeeds(feeds.names());
    status.setOutputTopics(OutputTopics.names(p));
    status.setSparkApplicationState(sparkState);
    boolean llmServing = parts.stream().anyMatch(c -> PipelineConditions.LLM.equals(c.getType()) && c.holds()
        && "Serving".equals(c.getReason()));
    ModelAdapter served = VllmServer.servable(inputs);
    status.setServedAdapter(llmServing && served != null ? served.getMetadata().getName() : null);
    status.setVectorCount(collection instanceof CollectionCheck.Ready r ? r.points() : null);
    status.setDashboardUrl(dashboardUrl);
    status.setCreatedCollection(createdCollection(p, collection));

    List<PulseCondition> all = new ArrayList<>();
    all.add(ready);
    all.addAll(parts);
    return all;
  }

  /**
   * The Topics part: on a Kafka without Strimzi the output topics are made here through the Admin API (with an Event
   * for each write); on a Strimzi cluster they are the KafkaTopics just applied, or none when Strimzi is absent.
   */
  private PulseCondition topicsCondition(SentimentPipeline p, FeedResolution feeds, List<KafkaTopic> topics,
      boolean strimziServed, Map<String, String> applyErrors, Context<SentimentPipeline> context) {
    if (!OutputTopics.usesStrimzi(p)) {
      // spec.kafka.security, as for a SourceFeed's topic: the CA and password read from their Secrets, never logged.
      KafkaClientSecurity.Resolved connection = KafkaClientSecurity.resolve(context.getClient(),
          p.getMetadata().getNamespace(),
          KafkaAddresses.forOperator(PipelineDefaults.bootstrapServers(p), p.getMetadata().getNamespace()),
          p.getSpec().getKafka().getSecurity());
      if (connection.problem() != null) {
        return Conditions.of(PipelineConditions.TOPICS, false, connection.problem().reason(),
            connection.problem().message());
      }
      TopicsOutcome outcome = kafka.ensure(connection.connection(), OutputTopics.requests(p));
      outcome.changes().forEach(c -> recordEvent(context, p, EventRecorder.NORMAL, c.reason(), c.message()));
      return PipelineConditions.topics(p, feeds, outcome);
    }
    if (!strimziServed) {
      return PipelineConditions.strimziNotInstalled(p);
    }
    return orApplyError(PipelineConditions.topics(p, feeds, topics), applyErrors.get(PipelineNames.TOPICS));
  }

  /**
   * Deletes the owned workloads, Services, Ingress and monitoring objects the spec no longer asks for (LLM or dashboard
   * disabled, ingress or a monitoring CRD removed). Server-side apply never deletes, so without this they would run
   * on. Only candidates that are not desired are looked up, so an unchanged pipeline costs no extra call; the
   * checkpoint PVC is never pruned (it holds the job's state), nor are the output topics (always desired).
   */
  private void prune(KubernetesClient client, SentimentPipeline p, List<HasMetadata> desired,
      Context<SentimentPipeline> context, boolean sparkServed) {
    java.util.Set<String> keep = desired.stream().map(SentimentPipelineReconciler::key).collect(Collectors.toSet());
    String ns = p.getMetadata().getNamespace();
    // The Spark driver's Deployment and Service go when the launcher turns from Native to SparkOperator, and the
    // SparkApplication the other way round: never two drivers on one checkpoint.
    if (sparkServed && !keep.contains("SparkApplication/" + PipelineNames.sparkApplication(p))) {
      deleteIfOwned(client, p, client.resources(SparkApplication.class).inNamespace(ns)
          .withName(PipelineNames.sparkApplication(p)).get());
    }
    for (String name : List.of(PipelineNames.vllm(p), PipelineNames.gateway(p), PipelineNames.dashboard(p),
        SparkDriver.name(p))) {
      if (!keep.contains("Deployment/" + name)) {
        context.getSecondaryResources(Deployment.class).stream().filter(d -> d.getMetadata().getName().equals(name))
            .filter(d -> ownedBy(d, p)).forEach(d -> deleteOwned(client, d));
      }
      if (!keep.contains("Service/" + name)) {
        deleteIfOwned(client, p, client.services().inNamespace(ns).withName(name).get());
      }
    }
    // A component switched off, or policies turned off for the operator (pulse.operator.network-policies=false).
    for (String component : List.of(PipelineNames.SPARK, PipelineNames.GATEWAY, PipelineNames.VLLM,
        PipelineNames.DASHBOARD)) {
      String name = NetworkPolicies.name(p, component);
      if (!keep.contains("NetworkPolicy/" + name)) {
        deleteIfOwned(client, p, client.network().v1().networkPolicies().inNamespace(ns).withName(name).get());
      }
    }
    if (!keep.contains("Ingress/" + PipelineNames.dashboard(p))) {
      deleteIfOwned(client, p, client.network().v1().ingresses().inNamespace(ns).withName(PipelineNames.dashboard(p)).get());
    }
  }

  private static void deleteIfOwned(KubernetesClient client, SentimentPipeline p, HasMetadata object) {
    if (object != null && ownedBy(object, p)) {
      deleteOwned(client, object);
    }
  }

  private static void deleteOwned(KubernetesClient client, HasMetadata object) {
    log.info("deleting {} {}/{}: no longer in its pipeline's spec", object.getKind(),
        object.getMetadata().getNamespace(), object.getMetadata().getName());
    client.resource(object).delete();
  }

  private static boolean ownedBy(HasMetadata object, SentimentPipeline p) {
    return object.getMetadata().getOwnerReferences() != null && object.getMetadata().getOwnerReferences().stream()
        .anyMatch(o -> Objects.equals(o.getUid(), p.getMetadata().getUid()));
  }

  private ApiDiscovery discovery(KubernetesClient client) {
    if (discovery == null) {
      discovery = new ApiDiscovery(client, clock, apiRecheck);
    }
    return discovery;
  }

  /**
   * The dashboard's bearer-token Secret key, when auth is on and it is missing: without it the dashboard pod cannot
   * start (CreateContainerConfigError), which the Deployment alone reports only as "not available". Secrets are not
   * watched: looked at again every 30 s while missing.
   */
  private static Optional<References.Problem> dashboardToken(KubernetesClient client, SentimentPipeline p) {
    DashboardSpec d = PipelineDefaults.dashboard(p);
    if (d == null || PipelineDefaults.suspended(p) || d.getAuth() == null || !Boolean.TRUE.equals(d.getAuth().getEnabled())
        || d.getAuth().getTokenSecret() == null) {
      return Optional.empty();
    }
    return References.secretKey(client, p.getMetadata().getNamespace(), d.getAuth().getTokenSecret().getName(),
        d.getAuth().getTokenSecret().keyOr("token"), "dashboard bearer token");
  }

  /** Why the LLM workloads are held back, or null: adapter missing or untrained, or the hub token missing. */
  private static LlmWait llmWait(KubernetesClient client, SentimentPipeline p, LlmSpec llm, ModelAdapter adapter) {
    if (llm.getModelAdapterRef() != null) {
      // llama.cpp names a GGUF file, not the Hub model an adapter names: only vLLM's base model is compared.
      LlmWait wait = LlmWait.forAdapter(llm.getModelAdapterRef(), adapter, llm.llamaCpp() ? null : llm.getBaseModel());
      if (wait != null) {
        return wait;
      }
    }
    if (llm.getHubTokenSecret() != null && !PipelineDefaults.suspended(p)) {
      return References.secretKey(client, p.getMetadata().getNamespace(), llm.getHubTokenSecret().getName(),
              llm.getHubTokenSecret().keyOr("token"), "Hugging Face token for " + llm.getBaseModel())
          .map(problem -> new LlmWait(problem.reason(), problem.message()))
          .orElse(null);
    }
    return null;
  }

  private static boolean isLlmWorkload(SentimentPipeline p, HasMetadata object) {
    String name = object.getMetadata().getName();
    return name.equals(PipelineNames.vllm(p)) || name.equals(PipelineNames.gateway(p));
  }

  /**
   * The collection the operator created for {@code p}: kept from the status while the spec names the same collection,
   * or the one this reconcile created. A collection found existing is adopted and never marked.
   */
  private static String createdCollection(SentimentPipeline p, CollectionCheck check) {
    dev.pulse.crd.v1alpha1.pipeline.VectorStoreSpec store = PipelineDefaults.vectorStore(p);
    if (store == null) {
      return null;
    }
    if (check instanceof CollectionCheck.Ready r && r.created()) {
      return store.getCollection();
    }
    String before = p.getStatus() == null ? null : p.getStatus().getCreatedCollection();
    return store.getCollection().equals(before) ? before : null;
  }

  private CollectionCheck checkCollection(KubernetesClient client, SentimentPipeline p) {
    if (PipelineDefaults.vectorStore(p) == null) {
      return new CollectionCheck.Disabled();
    }
    VectorStoreAccess.Resolved access = VectorStoreAccess.resolve(client, p);
    if (access.problem() != null) {
      return new CollectionCheck.Failed(access.problem().reason(), access.problem().message());
    }
    return qdrant.ensure(access.endpoint(), PipelineDefaults.vectorStore(p).getCollection(), VectorStoreAccess.shape(p));
  }

  private static Deployment deployment(Context<SentimentPipeline> context, Map<String, HasMetadata> applied,
      String name) {
    HasMetadata d = applied.get("Deployment/" + name);
    if (d != null) {
      return (Deployment) d;
    }
    // Not applied this time (held back or disabled): report what exists, if anything (from the informer's cache).
    return context.getSecondaryResources(Deployment.class).stream()
        .filter(candidate -> candidate.getMetadata().getName().equals(name)).findFirst().orElse(null);
  }

  private static PulseCondition orApplyError(PulseCondition computed, String error) {
    return error == null ? computed : new PulseCondition(computed.getType(), "False", "ApplyFailed", error);
  }

  private static String key(HasMetadata object) {
    return object.getKind() + "/" + object.getMetadata().getName();
  }

  /**
   * Qdrant and a Kafka without Strimzi are not watched: while either fails it is asked again with a backoff; a
   * pipeline waiting for an optional CRD looks again at the discovery interval; otherwise every minute while on its
   * way and every 10 minutes when Ready.
   */
  @Override
  protected Optional<Duration> recheckAfter(SentimentPipeline p, SentimentPipelineStatus status) {
    List<Duration> after = new ArrayList<>();
    boolean ready = status.condition("Ready").map(PulseCondition::holds).orElse(false);
    after.add(ready ? READY_RECHECK : PROGRESS_RECHECK);
    status.condition(PipelineConditions.VECTOR_STORE).filter(c -> !c.holds()).ifPresent(c -> after.add(backoff(c)));
    status.condition(PipelineConditions.DASHBOARD).filter(c -> References.SECRET_MISSING.equals(c.getReason()))
        .ifPresent(c -> after.add(Duration.ofSeconds(30)));
    status.condition(PipelineConditions.LLM).filter(c -> References.SECRET_MISSING.equals(c.getReason()))
        .ifPresent(c -> after.add(Duration.ofSeconds(30)));
    status.condition(PipelineConditions.TOPICS).filter(c -> !c.holds() && !OutputTopics.usesStrimzi(p))
        .ifPresent(c -> after.add(backoff(c)));
    // A Native driver's pods are not watched: while they come up, look again soon.
    status.condition(PipelineConditions.SPARK).filter(c -> !c.holds()
        && SparkDriverStatus.STARTING_REASONS.contains(c.getReason())).ifPresent(c -> after.add(NATIVE_SPARK_RECHECK));
    for (String part : List.of(PipelineConditions.TOPICS, PipelineConditions.SPARK)) {
      status.condition(part).filter(c -> PipelineConditions.STRIMZI_NOT_INSTALLED.equals(c.getReason())
          || PipelineConditions.SPARK_OPERATOR_NOT_INSTALLED.equals(c.getReason())).ifPresent(c -> after.add(apiRecheck));
    }
    return after.stream().min(Duration::compareTo);
  }

  /** How often a blocked collection delete is tried again. */
  static final Duration CLEANUP_RETRY = Duration.ofSeconds(30);
  /** Reason of the Ready condition while the finalizer cannot delete the collection. */
  public static final String DELETION_BLOCKED = "DeletionBlocked";
  /** Reason of the Event (and condition) when the finalizer gives up on the collection. */
  public static final String COLLECTION_NOT_DELETED = "CollectionNotDeleted";

  /**
   * The finalizer: delete the Qdrant collection (it holds the pipeline's vectors) if, and only if, the operator
   * created it ({@code status.createdCollection}) and the spec does not retain it. A collection that already existed
   * (adopted) is kept. It gives up, with a Warning Event and a condition, when the namespace is being deleted or the
   * API-key Secret is gone: waiting could not help, and would leave the pipeline and its namespace Terminating for
   * ever. While Qdrant cannot be reached it retries every 30 s, and Ready says that
   * {@code spec.vectorStore.retainOnDelete: true} lets the pipeline go.
   */
  @Override
  public DeleteControl cleanup(SentimentPipeline p, Context<SentimentPipeline> context) {
    dev.pulse.crd.v1alpha1.pipeline.VectorStoreSpec store = PipelineDefaults.vectorStore(p);
    if (store == null) {
      return DeleteControl.defaultDelete();
    }
    KubernetesClient client = context.getClient();
    String collection = store.getCollection();
    String created = p.getStatus() == null ? null : p.getStatus().getCreatedCollection();
    if (Boolean.TRUE.equals(store.getRetainOnDelete())) {
      return DeleteControl.defaultDelete();
    }
    if (!collection.equals(created)) {
      events.record(client, p, EventRecorder.NORMAL, "CollectionKept", "Qdrant collection " + collection
          + " is kept: it existed before this pipeline used it, and Pulse deletes only collections it created.");
      return DeleteControl.defaultDelete();
    }
    VectorStoreAccess.Resolved access = VectorStoreAccess.resolve(client, p);
    CollectionCheck result = access.problem() != null
        ? new CollectionCheck.Failed(access.problem().reason(), access.problem().message())
        : qdrant.delete(access.endpoint(), collection);
    if (result.ok()) {
      events.record(client, p, EventRecorder.NORMAL, "CollectionDeleted", "Qdrant collection " + collection + " "
          + "deleted with the pipeline (spec.vectorStore.retainOnDelete is false).");
      return DeleteControl.defaultDelete();
    }
    String ns = p.getMetadata().getNamespace();
    if (namespaceTerminating(client, ns)) {
      return giveUp(p, context, collection, "namespace " + ns + " is being deleted, and the delete failed ("
          + result.message() + ")");
    }
    if (access.problem() != null) {
      return giveUp(p, context, collection, access.problem().message());
    }
    reportCondition(p, context, Conditions.of("Ready", false, DELETION_BLOCKED, "Deleting: cannot delete Qdrant "
        + "collection " + collection + " (" + result.reason() + ": " + result.message() + "). Retrying every "
        + CLEANUP_RETRY.toSeconds() + " s; set spec.vectorStore.retainOnDelete=true to delete the pipeline and keep "
        + "the collection."));
    return DeleteControl.noFinalizerRemoval().rescheduleAfter(CLEANUP_RETRY);
  }

  /** Lets the pipeline go without its collection, saying so in the status (while it lasts) and in an Event. */
  private DeleteControl giveUp(SentimentPipeline p, Context<SentimentPipeline> context, String collection,
      String why) {
    String message = "Qdrant collection " + collection + " was not deleted: " + why + ". The pipeline is removed "
        + "without it; delete the collection with Qdrant's tools if it is no longer needed.";
    // The condition's Event says it once the status holds it; when that write failed (the pipeline may be going
    // already) the Event is recorded anyway: it is the record that stays.
    if (!reportCondition(p, context, Conditions.of("Ready", false, COLLECTION_NOT_DELETED, message))) {
      events.record(context.getClient(), p, EventRecorder.WARNING, COLLECTION_NOT_DELETED, "Ready: " + message);
    }
    log.warn("pipeline {}/{}: {}", p.getMetadata().getNamespace(), p.getMetadata().getName(), message);
    return DeleteControl.defaultDelete();
  }

  private static boolean namespaceTerminating(KubernetesClient client, String ns) {
    try {
      io.fabric8.kubernetes.api.model.Namespace namespace = client.namespaces().withName(ns).get();
      return namespace == null || namespace.getMetadata().getDeletionTimestamp() != null
          || namespace.getStatus() != null && "Terminating".equals(namespace.getStatus().getPhase());
    } catch (KubernetesClientException e) {
      log.debug("cannot read namespace {}: {}", ns, e.getMessage());
      return false; // unknown: treat as not terminating, the Secret check still applies
    }
  }

  @Override
  protected boolean sameExtraStatus(SentimentPipelineStatus previous, SentimentPipelineStatus next) {
    return previous.getPhase() == next.getPhase() && Objects.equals(previous.getFeedCount(), next.getFeedCount())
        && Objects.equals(previous.getFeeds(), next.getFeeds())
        && Objects.equals(previous.getOutputTopics(), next.getOutputTopics())
        && Objects.equals(previous.getSparkApplicationState(), next.getSparkApplicationState())
        && Objects.equals(previous.getServedAdapter(), next.getServedAdapter())
        && Objects.equals(previous.getVectorCount(), next.getVectorCount())
        && Objects.equals(previous.getDashboardUrl(), next.getDashboardUrl())
        && Objects.equals(previous.getCreatedCollection(), next.getCreatedCollection());
  }
}
