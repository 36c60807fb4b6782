package dev.pulse.operator.bench;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Watches (informers, not polling lists: the bench should not load the API server it measures) every kind the
 * pipelines and feeds own, and tells how many units have converged: the pipeline's and the feed's
 * status.observedGeneration equal their generation (1), every object the renderer gives for them exists, and the
 * pipeline's Qdrant collection exists.
 */
public final class Convergence implements AutoCloseable {

  /** One unit's checks, resolved once: the informer and store key of each object to find. */
  private record Expected(String pipelineKey, String feedKey,
      List<Map.Entry<SharedIndexInformer<GenericKubernetesResource>, String>> owned, String collection) {}

  private final Map<String, SharedIndexInformer<GenericKubernetesResource>> informers = new LinkedHashMap<>();
  private final List<Expected> expected = new ArrayList<>();
  private final SharedIndexInformer<GenericKubernetesResource> pipelines;
  private final SharedIndexInformer<GenericKubernetesResource> feeds;
  private final Predicate<String> collectionExists;
  private final int objectsPerUnit;

  public Convergence(KubernetesClient client, List<BenchWorkload.Unit> units, Predicate<String> collectionExists) {
    this.collectionExists = collectionExists;
    this.pipelines = informer(client, "pulse.dev/v1alpha1 SentimentPipeline");
    this.feeds = informer(client, "pulse.dev/v1alpha1 SourceFeed");
    int perUnit = 0;
    for (BenchWorkload.Unit u : units) {
      List<Map.Entry<SharedIndexInformer<GenericKubernetesResource>, String>> owned = new ArrayList<>();
      for (String object : BenchWorkload.expectedObjects(u)) {
        String[] parts = object.split(" ");   // apiVersion Kind ns/name
        owned.add(Map.entry(informer(client, parts[0] + " " + parts[1]), parts[2]));
      }
      perUnit = owned.size();
      expected.add(new Expected(u.namespace() + "/" + u.pipeline().getMetadata().getName(),
          u.namespace() + "/" + u.feed().getMetadata().getName(), owned, u.collection()));
    }
    objectsPerUnit = perUnit;
  }

  private SharedIndexInformer<GenericKubernetesResource> informer(KubernetesClient client, String apiVersionKind) {
    return informers.computeIfAbsent(apiVersionKind, k -> {
      String[] parts = k.split(" ");
      return client.genericKubernetesResources(parts[0], parts[1]).inAnyNamespace().inform();
    });
  }

  int objectsPerUnit() {
    return objectsPerUnit;
  }

  List<String> watchedKinds() {
    return List.copyOf(informers.keySet());
  }

  public int converged() {
    int n = 0;
    for (Expected e : expected) {
      if (observedFirstGeneration(pipelines.getStore().getByKey(e.pipelineKey()))
          && observedFirstGeneration(feeds.getStore().getByKey(e.feedKey()))
          && e.owned().stream().allMatch(o -> o.getKey().getStore().getByKey(o.getValue()) != null)
          && collectionExists.test(e.collection())) {
        n++;
      }
    }
    return n;
  }

  private static boolean observedFirstGeneration(GenericKubernetesResource r) {
    if (r == null || !(r.getAdditionalProperties().get("status") instanceof Map<?, ?> status)) {
      return false;
    }
    Object observed = status.get("observedGeneration");
    return observed instanceof Number n && n.longValue() == 1 && Long.valueOf(1).equals(r.getMetadata().getGeneration());
  }

  @Override
  public void close() {
    informers.values().forEach(SharedIndexInformer::close);
  }
}
