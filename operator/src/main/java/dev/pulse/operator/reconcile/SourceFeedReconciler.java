package dev.pulse.operator.reconcile;

import dev.pulse.operator.network.NetworkPolicies;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import dev.pulse.operator.support.FeedTopics;

import dev.pulse.operator.support.Conditions;

import dev.pulse.crd.common.PulseCondition;
import dev.pulse.crd.v1alpha1.SourceFeed;
import dev.pulse.crd.v1alpha1.SourceFeedSpec;
import dev.pulse.crd.v1alpha1.SourceFeedStatus;
import dev.pulse.operator.feed.SourceFeedConditions;
import dev.pulse.operator.feed.SourceFeedObjects;
import dev.pulse.operator.support.OwnedInformers;
import dev.pulse.operator.support.PulseImages;
import dev.pulse.operator.support.References;
import dev.pulse.operator.support.ServerSideApply;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.MaxReconciliationInterval;
import io.javaoperatorsdk.operator.processing.retry.GradualRetry;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import dev.pulse.operator.feed.IngesterConfig;
import dev.pulse.operator.kafka.KafkaAddresses;
import dev.pulse.operator.kafka.KafkaClientSecurity;
import dev.pulse.operator.kafka.KafkaTopicAdmin;
import dev.pulse.operator.kafka.TopicsOutcome;
import dev.pulse.operator.pipeline.ApiDiscovery;
import dev.pulse.operator.pipeline.Monitoring;
import dev.pulse.operator.support.EventRecorder;
import dev.pulse.operator.support.StrimziTopics;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.time.Clock;
import java.util.ArrayList;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Reconciles a SourceFeed into its topic, ingester ConfigMap, Deployment and metrics Service (see
 * {@link SourceFeedObjects}), applied with server-side apply, and reports each part's state as its controller
 * sees it. The topic is a Strimzi KafkaTopic when the feed names a Strimzi cluster (in whichever version the cluster
 * serves; reported as StrimziNotInstalled when it serves none), or is made directly through the Kafka Admin API when
 * the feed names bootstrap servers ({@link KafkaTopicAdmin}; failures retried with backoff). A missing credentials
 * Secret or replay ConfigMap leaves the Deployment as it is (no churn) and is re-checked every
 * {@link #RECHECK_MISSING_REFERENCE}. The ingester is deployed whatever the topic's state: it waits for Kafka itself.
 */
// Failures retry from 2 s doubling to 5 min, then the 10-minute resync keeps trying: never a tight loop.
@GradualRetry(maxAttempts = 10, initialInterval = 2_000, intervalMultiplier = 2, maxInterval = 300_000)
@ControllerConfiguration(name = "sourcefeed",
    maxReconciliationInterval = @MaxReconciliationInterval(interval = 10, timeUnit = TimeUnit.MINUTES))
public class SourceFeedReconciler extends FoundationReconciler<SourceFeed, SourceFeedStatus> {

  static final Duration RECHECK_MISSING_REFERENCE = Duration.ofSeconds(30);

  private final Clock clock;
  private final PulseImages images;
  private final Duration apiRecheck;
  private final KafkaTopicAdmin kafka;
  private final OptionalInformers<SourceFeed> optional = new OptionalInformers<>(true, false,
      List.of(OptionalInformers.SERVICE_MONITOR));
  private volatile ApiDiscovery discovery;

  private boolean networkPolicies = true;

  /** Whether the ingester gets a NetworkPolicy (pulse.operator.network-policies; on by default). */
  public SourceFeedReconciler networkPolicies(boolean on) {
    this.networkPolicies = on;
    return this;
  }

  public SourceFeedReconciler() {
    this(Clock.systemUTC(), PulseImages.defaults());
  }

  /** With the images the operator is configured with (pulse.operator.images.*, set by the Helm chart). */
  public SourceFeedReconciler(PulseImages images) {
    this(Clock.systemUTC(), images);
  }

  /**
   * @param apiRecheck how long discovery answers are kept, and how soon a feed waiting for Strimzi's CRD looks again
   * @param kafka topics on a Kafka without Strimzi (shared: it keeps one Admin client per Kafka)
   */
  public SourceFeedReconciler(PulseImages images, Duration apiRecheck, KafkaTopicAdmin kafka) {
    this(Clock.systemUTC(), images, apiRecheck, kafka);
  }

  SourceFeedReconciler(Clock clock, PulseImages images) {
    this(clock, images, ApiDiscovery.TTL, new KafkaTopicAdmin());
  }

  SourceFeedReconciler(Clock clock, PulseImages images, Duration apiRecheck, KafkaTopicAdmin kafka) {
    super(clock, SourceFeedStatus::new);
    this.clock = clock;
    this.images = images;
    this.apiRecheck = apiRecheck;
    this.kafka = kafka;
  }

  @Override
  public List<EventSource<?, SourceFeed>> prepareEventSources(EventSourceContext<SourceFeed> context) {
    List<EventSource<?, SourceFeed>> sources = new ArrayList<>(optional.initial(context, discovery(context.getClient())));
    sources.add(OwnedInformers.owned(ConfigMap.class, context));
    sources.add(OwnedInformers.owned(Deployment.class, context));
    sources.add(OwnedInformers.owned(Service.class, context));
    sources.add(OwnedInformers.owned(NetworkPolicy.class, context));
    return sources;
  }

  private ApiDiscovery discovery(KubernetesClient client) {
    if (discovery == null) {
      discovery = new ApiDiscovery(client, clock, apiRecheck);
    }
    return discovery;
  }

  @Override
  protected List<PulseCondition> observe(SourceFeed feed, SourceFeedStatus status, Context<SourceFeed> context) {
    KubernetesClient client = context.getClient();
    status.setTopic(FeedTopics.topicFor(feed));
    Optional<References.Problem> missing = SourceFeedObjects.suspended(feed) ? Optional.empty()
        : unresolvedReference(client, feed);

    optional.catchUp(context, discovery(client));
    PulseCondition topicCondition = topic(feed, context);
    ServerSideApply.applyIfChanged(context, SourceFeedObjects.config(feed));
    ServerSideApply.applyIfChanged(context, SourceFeedObjects.metricsService(feed));
    NetworkPolicy policy = NetworkPolicies.forFeed(feed);
    if (networkPolicies) {
      ServerSideApply.applyIfChanged(context, policy);
    } else {
      NetworkPolicy existing = context.getClient().network().v1().networkPolicies()
          .inNamespace(feed.getMetadata().getNamespace()).withName(policy.getMetadata().getName()).get();
      if (existing != null && existing.getMetadata().getOwnerReferences().stream()
          .anyMatch(o -> feed.getMetadata().getUid().equals(o.getUid()))) {
        context.getClient().resource(existing).delete();
      }
    }
    if (discovery(client).monitoring().serviceMonitor()) {
      // the ingester's metrics, scraped once
      ServerSideApply.applyIfChanged(context, Monitoring.feedServiceMonitor(feed));
    }
    Deployment ingester = missing.isPresent()
        ? context.getSecondaryResource(Deployment.class).orElse(null)
        : (Deployment) ServerSideApply.applyIfChanged(context, SourceFeedObjects.ingester(feed, images));
    status.setIngesterReadyReplicas(ingester == null || ingester.getStatus() == null
        || ingester.getStatus().getReadyReplicas() == null ? 0 : ingester.getStatus().getReadyReplicas());

    PulseCondition ingesterCondition = missing
        .map(p -> Conditions.of(SourceFeedConditions.INGESTER, false, p.reason(), p.message()))
        .orElseGet(() -> SourceFeedConditions.ingester(feed, ingester));
    List<PulseCondition> parts = List.of(topicCondition, ingesterCondition);
    return List.of(SourceFeedConditions.ready(feed, parts), topicCondition, ingesterCondition);
  }

  /**
   * The feed's topic: a KafkaTopic in the version Strimzi serves (or StrimziNotInstalled), or the topic itself on a
   * Kafka without Strimzi, with an Event for each write the Admin API made.
   */
  private PulseCondition topic(SourceFeed feed, Context<SourceFeed> context) {
    KubernetesClient client = context.getClient();
    if (!SourceFeedObjects.usesStrimzi(feed)) {
      KafkaClientSecurity.Resolved connection = KafkaClientSecurity.resolve(client, feed.getMetadata().getNamespace(),
          KafkaAddresses.forOperator(IngesterConfig.bootstrapServers(feed), feed.getMetadata().getNamespace()),
          feed.getSpec().getKafka().getSecurity());
      if (connection.problem() != null) {
        return Conditions.of(SourceFeedConditions.TOPIC, false, connection.problem().reason(),
            connection.problem().message());
      }
      TopicsOutcome outcome = kafka.ensure(connection.connection(), SourceFeedObjects.topicRequests(feed));
      outcome.changes().forEach(c -> recordEvent(context, feed, EventRecorder.NORMAL, c.reason(), c.message()));
      return SourceFeedConditions.topic(feed, outcome);
    }
    ApiDiscovery apis = discovery(client);
    optional.catchUp(context, apis);
    Optional<String> version = apis.kafkaTopicVersion();
    if (version.isEmpty()) {
      return SourceFeedConditions.strimziNotInstalled(feed);
    }
    HasMetadata applied = ServerSideApply.applyIfChanged(context,
        StrimziTopics.inVersion(SourceFeedObjects.topic(feed), version.get(), client));
    HasMetadata deadLetters = ServerSideApply.applyIfChanged(context,
        StrimziTopics.inVersion(SourceFeedObjects.deadLetterKafkaTopic(feed), version.get(), client));
    PulseCondition topic = SourceFeedConditions.topic(StrimziTopics.read(applied, client), applied.getApiVersion());
    PulseCondition deadLetterTopic = SourceFeedConditions.topic(StrimziTopics.read(deadLetters, client),
        deadLetters.getApiVersion());
    // The feed's topic speaks for both unless it is ready and the dead-letter topic is not.
    return topic.holds() && !deadLetterTopic.holds() ? deadLetterTopic : topic;
  }

  /** The first credentials Secret key or replay ConfigMap key the ingester needs that does not exist. */
  static Optional<References.Problem> unresolvedReference(KubernetesClient client, SourceFeed feed) {
    SourceFeedSpec spec = feed.getSpec();
    String namespace = feed.getMetadata().getNamespace();
    return sourceReference(client, feed, spec, namespace).or(() -> kafkaReference(client, feed, namespace));
  }

  /** The Kafka CA and SASL password Secrets the ingester mounts or reads (kafka.security). */
  private static Optional<References.Problem> kafkaReference(KubernetesClient client, SourceFeed feed,
      String namespace) {
    var security = feed.getSpec().getKafka().getSecurity();
    if (security == null || feed.getSpec().getKafka().getBootstrapServers() == null) {
      return Optional.empty();
    }
    Optional<References.Problem> ca = security.getCaSecret() == null ? Optional.empty()
        : References.secretKey(client, namespace, security.getCaSecret().getName(),
            security.getCaSecret().keyOr(KafkaClientSecurity.DEFAULT_CA_KEY), "Kafka CA certificate");
    return ca.or(() -> security.getSasl() == null ? Optional.empty()
        : References.secretKey(client, namespace, security.getSasl().getPasswordSecret().getName(),
            security.getSasl().getPasswordSecret().keyOr(KafkaClientSecurity.DEFAULT_PASSWORD_KEY),
            "Kafka SASL password"));
  }

  private static Optional<References.Problem> sourceReference(KubernetesClient client, SourceFeed feed,
      SourceFeedSpec spec, String namespace) {
    return switch (spec.getType()) {
      case REDDIT -> {
        String secret = spec.getReddit().getCredentials().getSecretName();
        String idKey = Optional.ofNullable(spec.getReddit().getCredentials().getClientIdKey()).orElse("client-id");
        String secretKey = Optional.ofNullable(spec.getReddit().getCredentials().getClientSecretKey())
            .orElse("client-secret");
        yield References.secretKey(client, namespace, secret, idKey, "Reddit OAuth client id")
            .or(() -> References.secretKey(client, namespace, secret, secretKey, "Reddit OAuth client secret"));
      }
      case X -> References.secretKey(client, namespace, spec.getX().getBearerTokenSecret().getName(),
          spec.getX().getBearerTokenSecret().keyOr("bearer-token"), "X API bearer token");
      case REPLAY -> spec.getReplay().getConfigMap() == null ? Optional.empty()
          : References.configMapKey(client, namespace, spec.getReplay().getConfigMap().getName(),
              spec.getReplay().getConfigMap().getKey(), "posts to replay");
      case RSS -> Optional.empty();
    };
  }

  /**
   * Secrets and Kafka are not watched: a missing reference is looked at again every 30 s, a Kafka topic that is not
   * as asked with a backoff (5 s doubling to 5 min), a missing Strimzi CRD at the discovery interval.
   */
  @Override
  protected Optional<Duration> recheckAfter(SourceFeed feed, SourceFeedStatus status) {
    List<Duration> after = new ArrayList<>();
    status.condition(SourceFeedConditions.INGESTER)
        .filter(c -> References.SECRET_MISSING.equals(c.getReason())
            || References.CONFIG_MAP_MISSING.equals(c.getReason()))
        .ifPresent(c -> after.add(RECHECK_MISSING_REFERENCE));
    status.condition(SourceFeedConditions.TOPIC).filter(c -> !c.holds()).ifPresent(c -> {
      if (References.SECRET_MISSING.equals(c.getReason())) {
        after.add(RECHECK_MISSING_REFERENCE);
      } else if (SourceFeedConditions.STRIMZI_NOT_INSTALLED.equals(c.getReason())) {
        after.add(apiRecheck);
      } else if (!SourceFeedObjects.usesStrimzi(feed)) {
        after.add(backoff(c));
      }
    });
    return after.stream().min(Duration::compareTo);
  }

  @Override
  protected boolean sameExtraStatus(SourceFeedStatus previous, SourceFeedStatus next) {
    return Objects.equals(previous.getTopic(), next.getTopic())
        && Objects.equals(previous.getIngesterReadyReplicas(), next.getIngesterReadyReplicas());
  }
}
