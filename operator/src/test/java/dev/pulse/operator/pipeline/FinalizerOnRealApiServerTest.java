package dev.pulse.operator.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.pulse.crd.common.PulseCondition;
import dev.pulse.crd.v1alpha1.SentimentPipeline;
import dev.pulse.operator.reconcile.SentimentPipelineReconciler;
import dev.pulse.operator.support.RunningOperator;
import dev.pulse.testing.Samples;
import dev.pulse.testsupport.QdrantStandIn;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.qdrant.client.grpc.Collections.Distance;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The pipeline finalizer deletes only the Qdrant collection Pulse created, and never holds a pipeline (and so its
 * namespace) Terminating for ever: with the API-key Secret gone or the namespace being deleted it gives up with a
 * Warning Event; while Qdrant is down it retries and says in Ready that retainOnDelete lets the pipeline go. On the
 * real API server, through the real Qdrant client against the gRPC stand-in (not Qdrant).
 */
class FinalizerOnRealApiServerTest {

  private static final String KEY = "finalizer-key";
  private static RunningOperator operator;
  private static KubernetesClient client;
  private static QdrantStandIn qdrant;

  @BeforeAll
  static void start() throws Exception {
    qdrant = new QdrantStandIn(KEY);
    operator = RunningOperator.start(new SentimentPipelineReconciler());
    client = operator.testClient();
  }

  @AfterAll
  static void stop() {
    if (operator != null) {
      operator.close();
    }
    if (qdrant != null) {
      qdrant.close();
    }
  }

  private static String collection(String ns) {
    return "fin_" + ns.replace('-', '_');
  }

  /** A pipeline with only the vector store and dashboard parts that matter here. */
  private static void createPipeline(String ns) {
    client.secrets().inNamespace(ns).resource(new SecretBuilder().withNewMetadata().withName("qdrant-api")
        .endMetadata().withStringData(Map.of("api-key", KEY)).build()).create();
    GenericKubernetesResource p = Samples.first("sentimentpipeline-northwind.yaml", "SentimentPipeline");
    Samples.with(p, "spec.llm", Map.of("enabled", false));
    Samples.with(p, "spec.dashboard", Map.of("enabled", false));
    Samples.with(p, "spec.feeds", Map.of("names", List.of("none")));
    Samples.with(p, "spec.vectorStore.host", "127.0.0.1");
    Samples.with(p, "spec.vectorStore.grpcPort", qdrant.port());
    Samples.with(p, "spec.vectorStore.collection", collection(ns));
    client.genericKubernetesResources(p.getApiVersion(), p.getKind()).inNamespace(ns).resource(p).create();
  }

  private static SentimentPipeline pipeline(String ns) {
    return client.resources(SentimentPipeline.class).inNamespace(ns).withName("northwind").get();
  }

  private static void awaitCreatedMark(String ns) {
    await().atMost(Duration.ofSeconds(45)).until(() -> {
      SentimentPipeline p = pipeline(ns);
      return p.getStatus() != null && collection(ns).equals(p.getStatus().getCreatedCollection());
    });
  }

  private static void delete(String ns) {
    client.resources(SentimentPipeline.class).inNamespace(ns).withName("northwind").delete();
  }

  private static List<Event> events(String ns, String reason) {
    return client.v1().events().inNamespace(ns).list().getItems().stream()
        .filter(e -> "northwind".equals(e.getInvolvedObject().getName()) && reason.equals(e.getReason())).toList();
  }

  @Test
  void aMissingSecretLetsThePipelineGoWithAWarningEvent() {
    String ns = operator.server().createNamespace("fin-secret");
    createPipeline(ns);
    awaitCreatedMark(ns);
    client.secrets().inNamespace(ns).withName("qdrant-api").delete();
    delete(ns);
    await().atMost(Duration.ofSeconds(60)).until(() -> pipeline(ns) == null);
    assertThat(events(ns, SentimentPipelineReconciler.COLLECTION_NOT_DELETED)).isNotEmpty().first().satisfies(e -> {
      assertThat(e.getType()).isEqualTo("Warning");
      assertThat(e.getMessage()).contains(collection(ns)).contains("qdrant-api").doesNotContain(KEY);
    });
    assertThat(qdrant.collections()).as("could not be deleted without its key").containsKey(collection(ns));
  }

  @Test
  void anAdoptedCollectionIsKept() {
    String ns = operator.server().createNamespace("fin-adopt");
    qdrant.seed(collection(ns), 384, Distance.Cosine, 42);
    createPipeline(ns);
    await().atMost(Duration.ofSeconds(45)).until(() -> {
      SentimentPipeline p = pipeline(ns);
      return p.getStatus() != null && p.getStatus().condition(PipelineConditions.VECTOR_STORE)
          .map(c -> "CollectionReady".equals(c.getReason())).orElse(false);
    });
    assertThat(pipeline(ns).getStatus().getCreatedCollection()).isNull();
    delete(ns);
    await().atMost(Duration.ofSeconds(45)).until(() -> pipeline(ns) == null);
    assertThat(qdrant.collections().get(collection(ns)).points()).as("someone else's vectors kept").isEqualTo(42);
    assertThat(events(ns, "CollectionKept")).hasSize(1);
  }

  @Test
  void aDownQdrantBlocksWithTheEscapeHatchInReadyUntilRetained() {
    String ns = operator.server().createNamespace("fin-down");
    createPipeline(ns);
    awaitCreatedMark(ns);
    qdrant.failing(true);
    try {
      delete(ns);
      PulseCondition blocked = await().atMost(Duration.ofSeconds(60)).until(
          () -> pipeline(ns).getStatus().condition("Ready").orElse(null),
          c -> c != null && SentimentPipelineReconciler.DELETION_BLOCKED.equals(c.getReason()));
      assertThat(blocked.getMessage()).contains(collection(ns)).contains("spec.vectorStore.retainOnDelete=true");
      RunningOperator.retryOnConflict(() -> client.resources(SentimentPipeline.class).inNamespace(ns)
          .withName("northwind").edit(p -> {
            p.getSpec().getVectorStore().setRetainOnDelete(true);
            return p;
          }));
      await().atMost(Duration.ofSeconds(60)).until(() -> pipeline(ns) == null);
    } finally {
      qdrant.failing(false);
    }
  }

  @Test
  void aTerminatingNamespaceDoesNotHoldThePipeline() {
    String ns = operator.server().createNamespace("fin-ns");
    createPipeline(ns);
    awaitCreatedMark(ns);
    qdrant.failing(true); // the collection cannot be deleted: only the terminating namespace lets it go
    try {
      // No namespace controller runs here: the namespace stays Terminating and its objects stay, as while a real
      // cluster's controller works through them.
      client.namespaces().withName(ns).delete();
      await().atMost(Duration.ofSeconds(30)).until(() -> client.namespaces().withName(ns).get().getMetadata()
          .getDeletionTimestamp() != null);
      delete(ns);
      await().atMost(Duration.ofSeconds(60)).until(() -> pipeline(ns) == null);
    } finally {
      qdrant.failing(false);
    }
  }
}
