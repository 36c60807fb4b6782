package dev.pulse.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pulse.testing.Samples;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** config/samples/minimal/ as a user applies it, and what the suite checks against: names, topic, replayed ids. */
final class MinimalSamples {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path dir;
  private final List<GenericKubernetesResource> objects;

  private MinimalSamples(Path dir, List<GenericKubernetesResource> objects) {
    this.dir = dir;
    this.objects = objects;
  }

  static MinimalSamples load() {
    List<GenericKubernetesResource> objects = new ArrayList<>();
    Samples.minimalFiles().forEach(file -> objects.addAll(Samples.load(file)));
    return new MinimalSamples(Samples.minimalDir(), objects);
  }

  Path dir() {
    return dir;
  }

  String feed() {
    return one("SourceFeed").getMetadata().getName();
  }

  String pipeline() {
    return one("SentimentPipeline").getMetadata().getName();
  }

  /** The feed's topic: spec.kafka.topic, or the operator's default pulse.feed.<namespace>.<name>. */
  String feedTopic() {
    return feedTopic(PulseOnClusterIT.APPS);
  }

  String feedTopic(String namespace) {
    return topicOf(feedSpec(), namespace, feed());
  }

  static String topicOf(JsonNode spec, String namespace, String name) {
    String topic = spec.path("kafka").path("topic").asText("");
    return topic.isEmpty() ? "pulse.feed." + namespace + "." + name : topic;
  }

  /** Ids of the posts in the replay ConfigMap the sample feed reads. */
  Set<String> replayIds() {
    JsonNode ref = feedSpec().path("replay").path("configMap");
    GenericKubernetesResource map = objects.stream().filter(o -> "ConfigMap".equals(o.getKind())
        && o.getMetadata().getName().equals(ref.path("name").asText())).findFirst()
        .orElseThrow(() -> new IllegalStateException("the sample feed's replay ConfigMap is not in " + dir));
    String lines = JSON.valueToTree(map.getAdditionalProperties().get("data")).path(ref.path("key").asText()).asText();
    Set<String> ids = new LinkedHashSet<>();
    for (String line : lines.split("\n")) {
      if (!line.isBlank()) {
        try {
          ids.add(JSON.readTree(line).path("id").asText());
        } catch (IOException e) {
          throw new IllegalStateException("a replay line is not JSON: " + line, e);
        }
      }
    }
    return ids;
  }

  /**
   * A second feed like the sample's, with {@code posts} generated posts at {@code rate} per second and no loop, so a
   * test can kill pods while the replay is mid-stream and count exactly what arrived. Returns the post ids.
   */
  Set<String> createLongFeed(KubernetesClient client, String namespace, String name, int posts, double rate) {
    return createLongFeed(client, namespace, name, posts, rate, false);
  }

  /** As above; {@code suspended}: the feed's topic exists but its ingester waits for spec.suspend to turn false. */
  Set<String> createLongFeed(KubernetesClient client, String namespace, String name, int posts, double rate,
      boolean suspended) {
    StringBuilder lines = new StringBuilder();
    Set<String> ids = new LinkedHashSet<>();
    for (int i = 1; i <= posts; i++) {
      String id = "e2e:" + name + ":" + i;
      ids.add(id);
      lines.append(String.format("{\"schemaVersion\":1,\"id\":\"%s\",\"source\":\"REPLAY\",\"text\":\"Post %d about "
          + "the e2e brand, all good\",\"lang\":\"en\",\"createdAt\":\"2026-12-01T08:%02d:%02dZ\"}%n", id, i, i / 60 % 60, i % 60));
    }
    client.configMaps().inNamespace(namespace).resource(new ConfigMapBuilder().withNewMetadata().withName(name + "-posts")
        .endMetadata().addToData("posts.jsonl", lines.toString()).build()).serverSideApply();
    GenericKubernetesResource feed = Serialization.clone(one("SourceFeed"));
    feed.getMetadata().setName(name);
    feed.getMetadata().setNamespace(namespace);
    feed.getMetadata().setResourceVersion(null);
    @SuppressWarnings("unchecked")
    Map<String, Object> spec = (Map<String, Object>) feed.getAdditionalProperties().get("spec");
    @SuppressWarnings("unchecked")
    Map<String, Object> replay = (Map<String, Object>) spec.get("replay");
    replay.put("configMap", Map.of("name", name + "-posts", "key", "posts.jsonl"));
    replay.put("ratePerSecond", rate);
    replay.put("loop", false);
    @SuppressWarnings("unchecked")
    Map<String, Object> kafka = (Map<String, Object>) spec.get("kafka");
    kafka.remove("topic");
    spec.put("suspend", suspended);
    client.genericKubernetesResources(PulseResources.API_VERSION, "SourceFeed").inNamespace(namespace)
        .resource(feed).create();
    return ids;
  }

  /**
   * The samples as files in {@code dir}, with the feed's replay ConfigMap holding {@code replayJsonl} instead of the
   * sample's posts, and the feed's rate and suspend set: what the cluster bench applies, then resumes at each rate.
   */
  Path writeWithReplay(Path dir, String replayJsonl, double rate, boolean suspended) throws IOException {
    return writeWithReplay(dir, replayJsonl, rate, suspended, Map.of());
  }

  /** The same, with {@code sparkOverrides} merged into the pipeline's spec.spark (e.g. the trigger mode). */
  Path writeWithReplay(Path dir, String replayJsonl, double rate, boolean suspended,
      Map<String, Object> sparkOverrides) throws IOException {
    JsonNode ref = feedSpec().path("replay").path("configMap");
    java.nio.file.Files.createDirectories(dir);
    int i = 0;
    for (GenericKubernetesResource original : objects) {
      GenericKubernetesResource o = Serialization.clone(original);
      if ("ConfigMap".equals(o.getKind()) && o.getMetadata().getName().equals(ref.path("name").asText())) {
        o.getAdditionalProperties().put("data", Map.of(ref.path("key").asText(), replayJsonl));
      } else if ("SourceFeed".equals(o.getKind())) {
        @SuppressWarnings("unchecked")
        Map<String, Object> spec = (Map<String, Object>) o.getAdditionalProperties().get("spec");
        @SuppressWarnings("unchecked")
        Map<String, Object> replay = (Map<String, Object>) spec.get("replay");
        replay.put("ratePerSecond", rate);
        spec.put("suspend", suspended);
      } else if ("SentimentPipeline".equals(o.getKind()) && !sparkOverrides.isEmpty()) {
        @SuppressWarnings("unchecked")
        Map<String, Object> spec = (Map<String, Object>) o.getAdditionalProperties().get("spec");
        @SuppressWarnings("unchecked")
        Map<String, Object> spark = (Map<String, Object>) spec.computeIfAbsent("spark",
            k -> new java.util.LinkedHashMap<String, Object>());
        spark.putAll(sparkOverrides);
      }
      java.nio.file.Files.writeString(dir.resolve(String.format("%02d-%s.yaml", i++, o.getKind().toLowerCase())),
          Serialization.asYaml(o));
    }
    return dir;
  }

  /** Resumes the feed at {@code rate} posts/s, or suspends it (the ingester pod goes; its cursor stays). */
  void setFeedRate(NodeCluster cluster, String namespace, double rate, boolean suspended) {
    cluster.kubectl("patch", "sourcefeed", feed(), "-n", namespace, "--type=merge", "-p",
        "{\"spec\":{\"suspend\":" + suspended + ",\"replay\":{\"ratePerSecond\":" + rate + "}}}")
        .orThrow(List.of("kubectl patch sourcefeed"));
  }

  /** A change a user makes every day: the replay's rate. It changes the ingester's configuration only. */
  void changeFeedRate(NodeCluster cluster, String namespace) {
    double rate = feedSpec().path("replay").path("ratePerSecond").asDouble(10) + 1;
    cluster.kubectl("patch", "sourcefeed", feed(), "-n", namespace, "--type=merge", "-p",
        "{\"spec\":{\"replay\":{\"ratePerSecond\":" + rate + "}}}").orThrow(List.of("kubectl patch sourcefeed"));
  }

  /** The sample pipeline's spec, as the file has it (what it leaves out takes the CRD's defaults). */
  JsonNode pipelineSpec() {
    return JSON.valueToTree(one("SentimentPipeline").getAdditionalProperties().get("spec"));
  }

  private JsonNode feedSpec() {
    return JSON.valueToTree(one("SourceFeed").getAdditionalProperties().get("spec"));
  }

  private GenericKubernetesResource one(String kind) {
    List<GenericKubernetesResource> found = objects.stream().filter(o -> kind.equals(o.getKind())).toList();
    if (found.size() != 1) {
      throw new IllegalStateException(dir + " should hold exactly one " + kind + ", found " + found.size());
    }
    return found.get(0);
  }
}
