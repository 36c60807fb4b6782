package dev.pulse.operator.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.pulse.crd.v1alpha1.ModelAdapter;
import dev.pulse.crd.v1alpha1.SourceFeed;
import dev.pulse.operator.reconcile.ModelAdapterReconciler;
import dev.pulse.operator.reconcile.SourceFeedReconciler;
import dev.pulse.testing.KubeApiServer;
import dev.pulse.testing.Samples;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.strimzi.api.kafka.model.topic.KafkaTopic;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * An operator stopped while it reconciles (a rollout, a lost leader lease) and started again converges to the
 * same objects, none twice: names are derived from the resource, and applying them again is idempotent.
 */
class OperatorRestartTest {

  @Test
  void aRestartMidReconcileConvergesWithNoDuplicateObjects() {
    KubeApiServer server = KubeApiServer.shared();
    KubernetesClient client = server.client();
    String ns = server.createNamespace("restart");
    client.secrets().inNamespace(ns).resource(new SecretBuilder().withNewMetadata().withName("hf-token").endMetadata()
        .addToStringData("token", "t").build()).create();
    client.configMaps().inNamespace(ns).resource(new ConfigMapBuilder().withNewMetadata()
        .withName("northwind-labelled-posts").endMetadata().addToData("train.jsonl", "{}").build()).create();

    RunningOperator first = RunningOperator.start(new SourceFeedReconciler(), new ModelAdapterReconciler());
    for (String sample : new String[] {"sourcefeed-rss-news.yaml", "sourcefeed-x.yaml"}) {
      client.genericKubernetesResources("pulse.dev/v1alpha1", "SourceFeed").inNamespace(ns)
          .resource(Samples.first(sample, "SourceFeed")).create();
    }
    client.genericKubernetesResources("pulse.dev/v1alpha1", "ModelAdapter").inNamespace(ns)
        .resource(Samples.first("modeladapter-gemma.yaml", "ModelAdapter")).create();
    // Stop as soon as the first owned object exists: the reconciles are in flight.
    await().atMost(Duration.ofSeconds(30)).until(
        () -> !client.resources(KafkaTopic.class).inNamespace(ns).list().getItems().isEmpty());
    first.close();

    try (RunningOperator second = RunningOperator.start(new SourceFeedReconciler(), new ModelAdapterReconciler())) {
      await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
        assertThat(client.resources(SourceFeed.class).inNamespace(ns).list().getItems())
            .allSatisfy(f -> assertThat(f.getStatus()).extracting(s -> s.getObservedGeneration()).isEqualTo(1L));
        assertThat(client.resources(ModelAdapter.class).inNamespace(ns).withName("northwind-gemma-sentiment").get()
            .getStatus()).extracting(s -> s.getJobName()).isEqualTo("northwind-gemma-sentiment-train-1");
      });
      // Each feed's topic and its dead-letter topic.
      assertThat(client.resources(KafkaTopic.class).inNamespace(ns).list().getItems()).hasSize(4);
      // The X feed's Secret is missing, so only the news feed has an ingester.
      assertThat(client.apps().deployments().inNamespace(ns).list().getItems()).hasSize(1);
      assertThat(client.services().inNamespace(ns).list().getItems()).hasSize(2);
      assertThat(client.configMaps().inNamespace(ns).withLabel("app.kubernetes.io/managed-by", "pulse-operator")
          .list().getItems()).hasSize(2);
      assertThat(client.batch().v1().jobs().inNamespace(ns).list().getItems()).hasSize(1);
    }
  }
}
