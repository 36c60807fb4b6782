package dev.pulse.operator.bench;

import dev.pulse.crd.v1alpha1.SentimentPipeline;
import dev.pulse.crd.v1alpha1.SourceFeed;
import dev.pulse.operator.cli.Renderer;
import dev.pulse.operator.support.PulseImages;
import dev.pulse.testing.KubeApiServer;
import dev.pulse.testing.Samples;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * What the bench applies: N copies of the sample pipeline spread round-robin over a few namespaces, each with a
 * SourceFeed of its own (the RSS sample: no credentials), the base model served without an adapter (so the whole
 * LLM part is deployed at once), its own Qdrant collection on the stand-in, and per namespace the Secrets the
 * samples refer to. Also what each pipeline and feed should become, from the renderer the reconcilers share.
 */
public final class BenchWorkload {

  public static final String QDRANT_KEY = "bench-qdrant-key";

  /** One pipeline with its feed, and the Qdrant collection it should create. */
  public record Unit(String namespace, GenericKubernetesResource feed, GenericKubernetesResource pipeline, String collection) {}

  private final List<String> namespaces;
  private final List<Unit> units;

  private BenchWorkload(List<String> namespaces, List<Unit> units) {
    this.namespaces = namespaces;
    this.units = units;
  }

  /** Creates the namespaces (empty, so the operator has nothing to do yet) and describes the units. */
  public static BenchWorkload prepare(KubeApiServer server, int count, int namespaceCount, int qdrantPort) {
    List<String> namespaces = new ArrayList<>();
    for (int i = 0; i < namespaceCount; i++) {
      namespaces.add(server.createNamespace("bench-" + i));
    }
    List<Unit> units = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      String ns = namespaces.get(i % namespaceCount);
      String brand = String.format("brand-%04d", i);
      String collection = "posts_" + ns.replace('-', '_') + "_" + brand.replace('-', '_');
      units.add(new Unit(ns, feed(ns, brand), pipeline(ns, brand, qdrantPort, collection), collection));
    }
    return new BenchWorkload(namespaces, units);
  }

  private static GenericKubernetesResource feed(String ns, String brand) {
    GenericKubernetesResource feed = Samples.first("sourcefeed-rss-news.yaml", "SourceFeed");
    feed.getMetadata().setName(brand + "-news");
    feed.getMetadata().setNamespace(ns);
    feed.getMetadata().setLabels(Map.of("pulse.dev/brand", brand));
    return feed;
  }

  private static GenericKubernetesResource pipeline(String ns, String brand, int qdrantPort, String collection) {
    GenericKubernetesResource p = Samples.first("sentimentpipeline-northwind.yaml", "SentimentPipeline");
    p.getMetadata().setName(brand);
    p.getMetadata().setNamespace(ns);
    Samples.with(p, "spec.feeds", Map.of("names", List.of(brand + "-news")));
    Samples.with(p, "spec.spark.checkpointLocation", "s3a://pulse-checkpoints/" + brand);
    Samples.with(p, "spec.llm.modelAdapterRef", null);
    Samples.with(p, "spec.vectorStore.host", "127.0.0.1");
    Samples.with(p, "spec.vectorStore.grpcPort", qdrantPort);
    Samples.with(p, "spec.vectorStore.collection", collection);
    Samples.with(p, "spec.dashboard.ingress.host", brand + ".example.com");
    return p;
  }

  public List<String> namespaces() {
    return namespaces;
  }

  public List<Unit> units() {
    return units;
  }

  /** Secrets per namespace: the bench's own setup, written before the clock starts. */
  public void createSecrets(KubernetesClient client) {
    for (String ns : namespaces) {
      secret(client, ns, "qdrant-api", "api-key", QDRANT_KEY);
      secret(client, ns, "hf-token", "token", "hf_bench");
      secret(client, ns, "pulse-dashboard-token", "token", "dash");
    }
  }

  /** Every feed and pipeline, created by a few threads as fast as the API server takes them. */
  public void applyAll(KubernetesClient client) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (Unit u : units) {
        done.add(pool.submit(() -> {
          create(client, u.feed());
          create(client, u.pipeline());
        }));
      }
      for (Future<?> f : done) {
        f.get();
      }
    } finally {
      pool.shutdown();
    }
  }

  /** Writes the bench itself makes (namespaces, Secrets, feeds, pipelines), to tell them from the operator's. */
  static boolean isBenchCreate(String requestKey) {
    return List.of("namespaces POST", "secrets POST", "sourcefeeds POST", "sentimentpipelines POST").contains(requestKey);
  }

  /** Every object the operator should own for this unit, as "Kind ns/name", rendered by the operator's own renderer. */
  public static List<String> expectedObjects(Unit u) {
    SourceFeed feed = Serialization.unmarshal(Serialization.asYaml(u.feed()), SourceFeed.class);
    SentimentPipeline pipeline = Serialization.unmarshal(Serialization.asYaml(u.pipeline()), SentimentPipeline.class);
    Renderer renderer = new Renderer(PulseImages.defaults(), u.namespace(), System.err);
    List<String> out = new ArrayList<>();
    for (HasMetadata o : renderer.objects(new Renderer.Resources(List.of(feed), List.of(), List.of(pipeline)))) {
      out.add(o.getApiVersion() + " " + o.getKind() + " " + u.namespace() + "/" + o.getMetadata().getName());
    }
    return out;
  }

  private static void create(KubernetesClient client, GenericKubernetesResource r) {
    client.genericKubernetesResources(r.getApiVersion(), r.getKind()).inNamespace(r.getMetadata().getNamespace())
        .resource(r).create();
  }

  private static void secret(KubernetesClient client, String ns, String name, String key, String value) {
    client.secrets().inNamespace(ns).resource(new SecretBuilder().withNewMetadata().withName(name).endMetadata()
        .withStringData(Map.of(key, value)).build()).create();
  }
}
