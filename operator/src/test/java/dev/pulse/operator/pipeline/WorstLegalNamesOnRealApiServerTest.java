package dev.pulse.operator.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pulse.crd.v1alpha1.ModelAdapter;
import dev.pulse.crd.v1alpha1.ModelAdapterStatus;
import dev.pulse.crd.v1alpha1.SentimentPipeline;
import dev.pulse.crd.v1alpha1.SourceFeed;
import dev.pulse.operator.adapter.ModelAdapterObjects;
import dev.pulse.operator.feed.IngesterConfig;
import dev.pulse.operator.feed.SourceFeedObjects;
import dev.pulse.operator.support.FeedTopics;
import dev.pulse.operator.support.PulseImages;
import dev.pulse.testing.CrdInstaller;
import dev.pulse.testing.KubeApiServer;
import dev.pulse.testing.Samples;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every name the API server accepts for a Pulse resource (a DNS-1123 subdomain: dots, up to 253 characters, a
 * leading digit) must yield owned objects the API server accepts too: Services need DNS-1035 labels, label values
 * and Job names at most 63 characters, Kafka topic names at most 249. The worst legal names, applied for real.
 */
class WorstLegalNamesOnRealApiServerTest {

  private static final String KAFKA_TOPIC = "[a-zA-Z0-9._-]{1,249}";

  private static KubeApiServer server;
  private static KubernetesClient client;

  @BeforeAll
  static void apiServer() {
    server = KubeApiServer.shared();
    client = server.client();
    CrdInstaller.installAll(client);
  }

  static List<String> worstNames() {
    String label62 = "9" + "a".repeat(60) + "z";
    return List.of(
        String.join(".", label62, label62, label62, label62) + ".z", // 253 characters, dotted, leading digit
        "p".repeat(253), // 253 characters, no dot
        "n" + "-x".repeat(30) + "9z", // 63 characters
        "1pipeline", // leading digit: not a DNS-1035 label
        "a.b"); // dotted: not a DNS-1035 label
  }

  @ParameterizedTest
  @MethodSource("worstNames")
  void everyObjectOfEveryKindIsAcceptedByTheApiServer(String name) {
    assertThat(name.length()).isLessThanOrEqualTo(253);
    String namespace = server.createNamespace("names");
    List<HasMetadata> rendered = new ArrayList<>();

    ModelAdapter adapter = created(namespace, name, "modeladapter-gemma.yaml", "ModelAdapter", ModelAdapter.class);
    rendered.addAll(ModelAdapterObjects.desired(adapter, PulseImages.defaults()));
    ModelAdapterStatus status = new ModelAdapterStatus();
    status.setPhase(ModelAdapterStatus.Phase.Succeeded);
    status.setAdapterPath("/adapters/x/1");
    adapter.setStatus(status);

    SourceFeed feed = created(namespace, name, "sourcefeed-rss-news.yaml", "SourceFeed", SourceFeed.class);
    rendered.addAll(SourceFeedObjects.desired(feed, PulseImages.defaults()));
    assertThat(FeedTopics.topicFor(feed)).matches(KAFKA_TOPIC);
    assertThat(IngesterConfig.asMap(feed).get("checkpointFile").toString().replaceAll(".*/", ""))
        .as("a file name fits in 255 bytes").hasSizeLessThanOrEqualTo(255);

    SentimentPipeline pipeline = created(namespace, name, "sentimentpipeline-northwind.yaml", "SentimentPipeline",
        SentimentPipeline.class);
    rendered.addAll(SentimentPipelineObjects.desired(pipeline,
        RenderInputs.of(null, List.of(FeedTopics.topicFor(feed)), adapter)));
    for (OutputTopics.Kind kind : OutputTopics.Kind.values()) {
      assertThat(PipelineNames.topic(pipeline, kind)).matches(KAFKA_TOPIC);
    }

    assertThat(rendered).extracting(o -> o.getKind())
        .contains("Service", "Deployment", "ConfigMap", "Job", "SparkApplication", "KafkaTopic");
    for (HasMetadata object : rendered) {
      try {
        client.resource(object).fieldManager("pulse-test").forceConflicts().serverSideApply();
      } catch (KubernetesClientException e) {
        throw new AssertionError(object.getKind() + " " + object.getMetadata().getName() + " (from a resource named "
            + name + ") rejected: " + e.getMessage(), e);
      }
      if (object.getKind().equals("SparkApplication")) {
        // The Spark operator names the UI Service <app>-ui-svc, a DNS-1035 label.
        assertThat(object.getMetadata().getName() + "-ui-svc").matches("[a-z]([-a-z0-9]{0,61}[a-z0-9])?");
      }
    }
  }

  private <T extends HasMetadata> T created(String namespace, String name, String sample, String kind, Class<T> type) {
    GenericKubernetesResource resource = Samples.first(sample, kind);
    resource.getMetadata().setName(name);
    resource.getMetadata().setNamespace(namespace);
    client.genericKubernetesResources("pulse.dev/v1alpha1", kind).inNamespace(namespace).resource(resource).create();
    return client.resources(type).inNamespace(namespace).withName(name).get();
  }
}
