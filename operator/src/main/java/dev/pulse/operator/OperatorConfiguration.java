package dev.pulse.operator;

import dev.pulse.operator.reconcile.ModelAdapterReconciler;
import dev.pulse.operator.reconcile.SentimentPipelineReconciler;
import dev.pulse.operator.reconcile.SourceFeedReconciler;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
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

  @Bean
  List<Reconciler<?>> reconcilers(KubernetesClient client, OperatorProperties properties) {
    return List.of(new SourceFeedReconciler(properties.images()), new ModelAdapterReconciler(properties.images()),
        new SentimentPipelineReconciler());
  }

  @Bean
  Operator operator(KubernetesClient client, List<Reconciler<?>> reconcilers, OperatorProperties properties) {
    Operator operator = new Operator(o -> {
      o.withKubernetesClient(client);
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
