package dev.pulse.operator;

import dev.pulse.operator.kafka.KafkaTopicAdmin;
import dev.pulse.operator.metrics.OperatorMetrics;
import dev.pulse.operator.pipeline.ApiDiscovery;
import dev.pulse.operator.reconcile.ModelAdapterReconciler;
import dev.pulse.operator.reconcile.SentimentPipelineReconciler;
import dev.pulse.operator.reconcile.SourceFeedReconciler;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.HashSet;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Wires the Kubernetes client (current kubeconfig or in-cluster) and the Java Operator SDK. */
@Configuration
@EnableConfigurationProperties(OperatorProperties.class)
public class OperatorConfiguration {

  private static final Logger log = LoggerFactory.getLogger(OperatorConfiguration.class);

  /** fabric8 resolves $KUBECONFIG, ~/.kube/config, or the pod's service account, as kubectl does. */
  @Bean(destroyMethod = "close")
  KubernetesClient kubernetesClient() {
    return new KubernetesClientBuilder().build();
  }

  /** One Kafka Admin client per Kafka without Strimzi, shared by the feed and pipeline reconcilers. */
  @Bean(destroyMethod = "close")
  KafkaTopicAdmin kafkaTopicAdmin() {
    return new KafkaTopicAdmin();
  }

  /** Every reconciler gets the configured images (the chart's runtimeImages), not the built-in defaults. */
  @Bean
  List<Reconciler<?>> reconcilers(KubernetesClient client, OperatorProperties properties, KafkaTopicAdmin kafka) {
    return List.of(new SourceFeedReconciler(properties.images(), properties.apiRecheck(), kafka)
            .networkPolicies(properties.networkPolicies()),
        new ModelAdapterReconciler(properties.images()).networkPolicies(properties.networkPolicies()),
        new SentimentPipelineReconciler(properties.images(), properties.apiRecheck(), kafka)
            .networkPolicies(properties.networkPolicies()));
  }

  @Bean
  Operator operator(KubernetesClient client, List<Reconciler<?>> reconcilers, OperatorProperties properties,
      MeterRegistry meters) {
    Operator operator = new Operator(o -> {
      o.withKubernetesClient(client);
      // Reconciles, errors, durations and events per controller on /actuator/prometheus (OperatorMetrics).
      o.withMetrics(new OperatorMetrics(meters));
      o.withConcurrentReconciliationThreads(properties.reconcileThreads());
      // The operator shuts down (and its pod restarts) when an informer cannot start, e.g. missing RBAC,
      // instead of running half-blind.
      o.withStopOnInformerErrorDuringStartup(true);
      if (properties.leaderElection()) {
        o.withLeaderElectionConfiguration(new LeaderElectionConfiguration("pulse-operator-leader",
            properties.leaseNamespace()));
      }
    });
    for (Reconciler<?> reconciler : reconcilers) {
      operator.register(reconciler, config -> {
        if (!properties.namespaces().isEmpty()) {
          config.settingNamespaces(new HashSet<>(properties.namespaces()));
        }
      });
    }
    return operator;
  }

  /** Starts the operator with the application and stops it first on shutdown. */
  @Bean
  SmartLifecycle operatorLifecycle(Operator operator, KubernetesClient client) {
    return new SmartLifecycle() {
      private volatile boolean running;

      @Override
      public void start() {
        log.info("Pulse operator connecting to {}", client.getMasterUrl());
        // Optional APIs: resources that need one that is absent say so in a condition; see OptionalInformers.
        try {
          log.info("Optional APIs found: {}", new ApiDiscovery(client, Clock.systemUTC()).summary());
        } catch (RuntimeException e) {
          log.warn("Could not ask the API server which optional APIs (Strimzi, Spark operator, Prometheus operator) "
              + "it serves: {}", e.getMessage());
        }
        operator.start();
        running = true;
      }

      @Override
      public void stop() {
        operator.stop();
        running = false;
      }

      @Override
      public boolean isRunning() {
        return running;
      }
    };
  }
}
