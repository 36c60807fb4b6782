package dev.pulse.operator.reconcile;

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
import io.strimzi.api.kafka.model.topic.KafkaTopic;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Reconciles a SourceFeed into its KafkaTopic, ingester ConfigMap, Deployment and metrics Service (see
 * {@link SourceFeedObjects}), applied with server-side apply, and reports each part's state as its controller
 * sees it. A missing credentials Secret or replay ConfigMap leaves the Deployment as it is (no churn) and is
 * re-checked every {@link #RECHECK_MISSING_REFERENCE}.
 */
// Failures retry from 2 s doubling to 5 min, then the 10-minute resync keeps trying: never a tight loop.
@GradualRetry(maxAttempts = 10, initialInterval = 2_000, intervalMultiplier = 2, maxInterval = 300_000)
@ControllerConfiguration(name = "sourcefeed",
    maxReconciliationInterval = @MaxReconciliationInterval(interval = 10, timeUnit = TimeUnit.MINUTES))
public class SourceFeedReconciler extends FoundationReconciler<SourceFeed, SourceFeedStatus> {

  static final Duration RECHECK_MISSING_REFERENCE = Duration.ofSeconds(30);

  private final PulseImages images;

  public SourceFeedReconciler() {
    this(Clock.systemUTC(), PulseImages.defaults());
  }

  /** With the images the operator is configured with (pulse.operator.images.*, set by the Helm chart). */
  public SourceFeedReconciler(PulseImages images) {
    this(Clock.systemUTC(), images);
  }

  SourceFeedReconciler(Clock clock, PulseImages images) {
    super(clock, SourceFeedStatus::new);
    this.images = images;
  }

  @Override
  public List<EventSource<?, SourceFeed>> prepareEventSources(EventSourceContext<SourceFeed> context) {
    return List.of(
        OwnedInformers.owned(KafkaTopic.class, context),
        OwnedInformers.owned(ConfigMap.class, context),
        OwnedInformers.owned(Deployment.class, context),
        OwnedInformers.owned(Service.class, context));
  }

  @Override
  protected List<PulseCondition> observe(SourceFeed feed, SourceFeedStatus status, Context<SourceFeed> context) {
    KubernetesClient client = context.getClient();
    status.setTopic(FeedTopics.topicFor(feed));
    Optional<References.Problem> missing = SourceFeedObjects.suspended(feed) ? Optional.empty()
        : unresolvedReference(client, feed);

    KafkaTopic topic = ServerSideApply.apply(client, SourceFeedObjects.topic(feed));
    ServerSideApply.apply(client, SourceFeedObjects.config(feed));
    ServerSideApply.apply(client, SourceFeedObjects.metricsService(feed));
    Deployment ingester = missing.isPresent()
        ? context.getSecondaryResource(Deployment.class).orElse(null)
        : ServerSideApply.apply(client, SourceFeedObjects.ingester(feed, images));
    status.setIngesterReadyReplicas(ingester == null || ingester.getStatus() == null
        || ingester.getStatus().getReadyReplicas() == null ? 0 : ingester.getStatus().getReadyReplicas());

    PulseCondition topicCondition = SourceFeedConditions.topic(topic);
    PulseCondition ingesterCondition = missing
        .map(p -> Conditions.of(SourceFeedConditions.INGESTER, false, p.reason(), p.message()))
        .orElseGet(() -> SourceFeedConditions.ingester(feed, ingester));
    List<PulseCondition> parts = List.of(topicCondition, ingesterCondition);
    return List.of(SourceFeedConditions.ready(feed, parts), topicCondition, ingesterCondition);
  }

  /** The first credentials Secret key or replay ConfigMap key the ingester needs that does not exist. */
  static Optional<References.Problem> unresolvedReference(KubernetesClient client, SourceFeed feed) {
    SourceFeedSpec spec = feed.getSpec();
    String namespace = feed.getMetadata().getNamespace();
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

  @Override
  protected Optional<Duration> recheckAfter(SourceFeed feed, SourceFeedStatus status) {
    return status.condition(SourceFeedConditions.INGESTER)
        .filter(c -> References.SECRET_MISSING.equals(c.getReason())
            || References.CONFIG_MAP_MISSING.equals(c.getReason()))
        .map(c -> RECHECK_MISSING_REFERENCE);
  }

  @Override
  protected boolean sameExtraStatus(SourceFeedStatus previous, SourceFeedStatus next) {
    return Objects.equals(previous.getTopic(), next.getTopic())
        && Objects.equals(previous.getIngesterReadyReplicas(), next.getIngesterReadyReplicas());
  }
}
