package dev.pulse.operator.reconcile;

import dev.pulse.operator.pipeline.ApiDiscovery;
import dev.pulse.operator.pipeline.spark.SparkApplication;
import dev.pulse.operator.support.OwnedInformers;
import dev.pulse.operator.support.StrimziTopics;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.GroupVersionKind;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.strimzi.api.kafka.model.topic.KafkaTopic;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Informers on owned kinds whose CRDs are optional: Strimzi's KafkaTopic and the Spark operator's SparkApplication.
 * An informer on a kind the API server does not serve never syncs, and the Java Operator SDK then fails start-up
 * (or, not stopping, waits for ever): so such an informer is registered only once discovery finds the kind, at
 * start-up or, when a CRD is installed later, at the next reconcile that sees it ({@link #catchUp}), through the
 * SDK's dynamic registration. Until then the resources that need the kind report it in a condition.
 */
final class OptionalInformers<P extends HasMetadata> {

  private static final Logger log = LoggerFactory.getLogger(OptionalInformers.class);

  static final GroupVersionKind SERVICE_MONITOR = new GroupVersionKind("monitoring.coreos.com", "v1", "ServiceMonitor");
  static final GroupVersionKind PROMETHEUS_RULE = new GroupVersionKind("monitoring.coreos.com", "v1", "PrometheusRule");
  static final GroupVersionKind POD_MONITOR = new GroupVersionKind("monitoring.coreos.com", "v1", "PodMonitor");

  private final boolean topics;
  private final boolean spark;
  private final List<GroupVersionKind> monitoring;
  private final java.util.Set<GroupVersionKind> monitoringRegistered = java.util.concurrent.ConcurrentHashMap.newKeySet();
  private volatile String topicVersion;
  private volatile boolean sparkRegistered;

  /** Which optional kinds this controller owns. */
  OptionalInformers(boolean topics, boolean spark) {
    this(topics, spark, List.of());
  }

  /**
   * @param monitoring the Prometheus operator's kinds it owns (watched so a resync can compare instead of re-apply)
   */
  OptionalInformers(boolean topics, boolean spark, List<GroupVersionKind> monitoring) {
    this.topics = topics;
    this.spark = spark;
    this.monitoring = monitoring;
  }

  /** The informers for the optional kinds served now, for prepareEventSources. */
  List<EventSource<?, P>> initial(EventSourceContext<P> context, ApiDiscovery discovery) {
    List<EventSource<?, P>> sources = new ArrayList<>();
    if (topics) {
      discovery.kafkaTopicVersion().ifPresent(version -> {
        sources.add(topicInformer(context, version));
        topicVersion = version;
      });
    }
    if (spark && discovery.sparkApplications()) {
      sources.add(OwnedInformers.owned(SparkApplication.class, context));
      sparkRegistered = true;
    }
    for (GroupVersionKind kind : monitoring) {
      if (served(discovery, kind)) {
        sources.add(OwnedInformers.owned(kind, context));
        monitoringRegistered.add(kind);
      }
    }
    return sources;
  }

  private static boolean served(ApiDiscovery discovery, GroupVersionKind kind) {
    return kind.equals(SERVICE_MONITOR) ? discovery.monitoring().serviceMonitor()
        : kind.equals(POD_MONITOR) ? discovery.monitoring().podMonitor()
        : kind.equals(PROMETHEUS_RULE) && discovery.monitoring().prometheusRule();
  }

  /** Registers the informer of a kind that discovery found since start-up. Cheap: discovery answers are cached. */
  void catchUp(Context<P> context, ApiDiscovery discovery) {
    if ((!topics || topicVersion != null) && (!spark || sparkRegistered)
        && monitoringRegistered.size() == monitoring.size()) {
      return; // everything this controller can watch is watched: no lock on the reconcile path
    }
    register(context, discovery);
  }

  private synchronized void register(Context<P> context, ApiDiscovery discovery) {
    if (topics && topicVersion == null) {
      Optional<String> version = discovery.kafkaTopicVersion();
      if (version.isPresent()) {
        log.info("Strimzi's KafkaTopic is now served ({}/{}): watching the {}s' KafkaTopics",
            StrimziTopics.GROUP, version.get(), context.getPrimaryResource().getKind());
        context.eventSourceRetriever().dynamicallyRegisterEventSource(
            topicInformer(context.eventSourceRetriever().eventSourceContextForDynamicRegistration(), version.get()));
        topicVersion = version.get();
      }
    }
    if (spark && !sparkRegistered && discovery.sparkApplications()) {
      log.info("The Spark operator's SparkApplication is now served ({}): watching the pipelines' SparkApplications",
          ApiDiscovery.SPARK_API_VERSION);
      context.eventSourceRetriever().dynamicallyRegisterEventSource(OwnedInformers.owned(SparkApplication.class,
          context.eventSourceRetriever().eventSourceContextForDynamicRegistration()));
      sparkRegistered = true;
    }
    for (GroupVersionKind kind : monitoring) {
      if (!monitoringRegistered.contains(kind) && served(discovery, kind)) {
        log.info("{} is now served: watching the {}s' {}s", kind.apiVersion(),
            context.getPrimaryResource().getKind(), kind.getKind());
        context.eventSourceRetriever().dynamicallyRegisterEventSource(OwnedInformers.owned(kind,
            context.eventSourceRetriever().eventSourceContextForDynamicRegistration()));
        monitoringRegistered.add(kind);
      }
    }
  }

  private EventSource<?, P> topicInformer(EventSourceContext<P> context, String version) {
    return StrimziTopics.MODEL_VERSION.equals(version) ? OwnedInformers.owned(KafkaTopic.class, context)
        : OwnedInformers.owned(new GroupVersionKind(StrimziTopics.GROUP, version, "KafkaTopic"), context);
  }
}
