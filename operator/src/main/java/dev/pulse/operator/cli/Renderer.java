package dev.pulse.operator.cli;

import dev.pulse.operator.network.NetworkPolicies;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import dev.pulse.crd.v1alpha1.ModelAdapter;
import dev.pulse.crd.v1alpha1.PulseApi;
import dev.pulse.crd.v1alpha1.SentimentPipeline;
import dev.pulse.crd.v1alpha1.SourceFeed;
import dev.pulse.operator.adapter.LabelledSource;
import dev.pulse.operator.adapter.ModelAdapterObjects;
import dev.pulse.operator.feed.SourceFeedObjects;
import dev.pulse.operator.pipeline.AdapterDatasets;
import dev.pulse.operator.pipeline.FeedResolution;
import dev.pulse.operator.pipeline.Monitoring;
import dev.pulse.operator.pipeline.RenderInputs;
import dev.pulse.operator.pipeline.SentimentPipelineObjects;
import dev.pulse.operator.support.PulseImages;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * {@code pulse render}: the objects Pulse resources become, through the same pure functions the reconcilers apply,
 * printed as YAML with no cluster. Resources of other kinds in the input (a ConfigMap next to a feed) are skipped
 * with a note on stderr; a file that cannot be read or parsed is an error naming the file.
 */
public final class Renderer {

  /** A mistake in the input, reported as {@code pulse render: <message>} with exit code 1. */
  public static final class InputException extends Exception {
    public InputException(String message) {
      super(message);
    }
  }

  /** The Pulse resources read from the input, by kind, in input order. */
  public record Resources(List<SourceFeed> feeds, List<ModelAdapter> adapters, List<SentimentPipeline> pipelines) {}

  private static final ObjectMapper YAML_READER = new ObjectMapper(new YAMLFactory());
  private static final ObjectMapper YAML_WRITER = new ObjectMapper(new YAMLFactory()
      .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
      .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
      // A string that looks like a number ("16", "0.05") stays a string when read back.
      .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS));
  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

  private final PulseImages images;
  private final String defaultNamespace;
  private final PrintStream notes;

  public Renderer(PulseImages images, String defaultNamespace, PrintStream notes) {
    this.images = images;
    this.defaultNamespace = defaultNamespace;
    this.notes = notes;
  }

  /** Renders every Pulse resource under {@code fileOrDir} as one multi-document YAML string. */
  public String render(Path fileOrDir) throws InputException {
    return toYaml(objects(read(fileOrDir)));
  }

  public Resources read(Path fileOrDir) throws InputException {
    List<SourceFeed> feeds = new ArrayList<>();
    List<ModelAdapter> adapters = new ArrayList<>();
    List<SentimentPipeline> pipelines = new ArrayList<>();
    for (Path file : files(fileOrDir)) {
      int index = 0;
      for (JsonNode doc : documents(file)) {
        index++;
        String where = file + " (document " + index + ")";
        String apiVersion = doc.path("apiVersion").asText("");
        String kind = doc.path("kind").asText("");
        if (kind.isEmpty() || apiVersion.isEmpty()) {
          throw new InputException(where + ": not a Kubernetes object (apiVersion and kind are required)");
        }
        if (!apiVersion.equals(PulseApi.GROUP + "/" + PulseApi.VERSION)) {
          notes.println("# skipped " + kind + "/" + doc.path("metadata").path("name").asText("?") + " in " + file
              + ": not a Pulse resource");
          continue;
        }
        switch (kind) {
          case "SourceFeed" -> feeds.add(resource(doc, SourceFeed.class, where));
          case "ModelAdapter" -> adapters.add(resource(doc, ModelAdapter.class, where));
          case "SentimentPipeline" -> pipelines.add(resource(doc, SentimentPipeline.class, where));
          default -> throw new InputException(where + ": unknown Pulse kind " + kind
              + " (expected SourceFeed, ModelAdapter or SentimentPipeline)");
        }
      }
    }
    return new Resources(feeds, adapters, pipelines);
  }

  /** Every object, in the order a person reads them: feeds, adapters, then the pipelines that use them. */
  public List<HasMetadata> objects(Resources resources) {
    List<HasMetadata> out = new ArrayList<>();
    resources.feeds().forEach(feed -> {
      out.addAll(SourceFeedObjects.desired(feed, images));
      out.add(NetworkPolicies.forFeed(feed)); // as the operator writes them by default (network-policies on)
      out.add(Monitoring.feedServiceMonitor(feed)); // as the operator writes it where the ServiceMonitor CRD is served
    });
    for (ModelAdapter adapter : resources.adapters()) {
      ModelAdapterObjects.unsupported(adapter).ifPresent(why -> notes.println("# ModelAdapter/"
          + adapter.getMetadata().getName() + ": no training Job: " + why));
      out.addAll(ModelAdapterObjects.desired(adapter, images, labelledSource(adapter, resources)));
    }
    for (SentimentPipeline pipeline : resources.pipelines()) {
      out.addAll(SentimentPipelineObjects.desired(pipeline, inputsFor(pipeline, resources)));
      out.addAll(NetworkPolicies.forPipeline(pipeline));
    }
    return out;
  }

  /** A labelled-topic dataset's pipeline, looked up among the rendered resources as the reconciler does in the cluster. */
  private LabelledSource labelledSource(ModelAdapter adapter, Resources resources) {
    String name = AdapterDatasets.pipelineName(adapter);
    if (name == null) {
      return null;
    }
    SentimentPipeline pipeline = resources.pipelines().stream()
        .filter(p -> name.equals(p.getMetadata().getName())
            && Objects.equals(adapter.getMetadata().getNamespace(), p.getMetadata().getNamespace()))
        .findFirst().orElse(null);
    AdapterDatasets.Resolution dataset = AdapterDatasets.resolve(adapter, pipeline);
    if (dataset.source() == null) {
      notes.println("# ModelAdapter/" + adapter.getMetadata().getName() + ": no training Job: " + dataset.reason()
          + ": " + dataset.message());
    }
    return dataset.source();
  }

  /** What the reconciler would look up in the cluster, looked up among the rendered resources instead. */
  RenderInputs inputsFor(SentimentPipeline pipeline, Resources resources) {
    String namespace = pipeline.getMetadata().getNamespace();
    var selection = pipeline.getSpec().getFeeds();
    List<SourceFeed> sameNamespace = resources.feeds().stream()
        .filter(f -> namespace.equals(f.getMetadata().getNamespace())).toList();
    List<String> named = selection.getNames() == null ? List.of() : selection.getNames();
    Map<String, String> labels = selection.getMatchLabels() == null ? Map.of() : selection.getMatchLabels();
    List<SourceFeed> selected = sameNamespace.stream()
        .filter(f -> named.contains(f.getMetadata().getName()) || (!labels.isEmpty() && f.getMetadata().getLabels() != null
            && f.getMetadata().getLabels().entrySet().containsAll(labels.entrySet())))
        .sorted(java.util.Comparator.comparing(f -> f.getMetadata().getName()))
        .toList();
    List<String> missing = named.stream()
        .filter(n -> sameNamespace.stream().noneMatch(f -> n.equals(f.getMetadata().getName()))).toList();
    missing.forEach(n -> notes.println("# SentimentPipeline/" + pipeline.getMetadata().getName() + ": SourceFeed " + n
        + " is not among the rendered files"));
    String adapterName = pipeline.getSpec().getLlm() == null ? null : pipeline.getSpec().getLlm().getModelAdapterRef();
    ModelAdapter adapter = adapterName == null ? null : resources.adapters().stream()
        .filter(a -> adapterName.equals(a.getMetadata().getName()) && namespace.equals(a.getMetadata().getNamespace()))
        .findFirst().orElse(null);
    return RenderInputs.of(images, FeedResolution.of(pipeline, selected, missing), adapter);
  }

  public static String toYaml(List<HasMetadata> objects) {
    StringBuilder out = new StringBuilder();
    for (HasMetadata object : objects) {
      out.append("---\n");
      try {
        // Through fabric8's mapper first, so its models' annotations (property order, omitted nulls) apply.
        out.append(YAML_WRITER.writeValueAsString(SERIALIZATION.convertValue(object, JsonNode.class)));
      } catch (JsonProcessingException e) {
        throw new IllegalStateException("cannot write " + object.getKind() + " as YAML", e);
      }
    }
    return out.toString();
  }

  private <T extends CustomResource<?, ?>> T resource(JsonNode doc, Class<T> kind, String where)
      throws InputException {
    ObjectNode copy = doc.deepCopy();
    ObjectNode metadata = copy.has("metadata") && copy.get("metadata").isObject()
        ? (ObjectNode) copy.get("metadata") : copy.putObject("metadata");
    if (!metadata.hasNonNull("name")) {
      throw new InputException(where + ": " + kind.getSimpleName() + " has no metadata.name");
    }
    if (!metadata.hasNonNull("namespace")) {
      metadata.put("namespace", defaultNamespace);
    }
    if (!metadata.hasNonNull("generation")) {
      metadata.put("generation", 1); // what the API server gives a new object; names such as a Job's include it
    }
    if (!copy.has("spec")) {
      throw new InputException(where + ": " + kind.getSimpleName() + " " + metadata.get("name").asText()
          + " has no spec");
    }
    try {
      T resource = SERIALIZATION.convertValue(copy, kind);
      Objects.requireNonNull(resource.getSpec());
      return resource;
    } catch (IllegalArgumentException e) {
      throw new InputException(where + ": not a valid " + kind.getSimpleName() + ": " + rootMessage(e));
    }
  }

  private static List<Path> files(Path fileOrDir) throws InputException {
    if (!Files.exists(fileOrDir)) {
      throw new InputException(fileOrDir + ": no such file or directory");
    }
    if (!Files.isDirectory(fileOrDir)) {
      return List.of(fileOrDir);
    }
    try (Stream<Path> walk = Files.walk(fileOrDir)) {
      List<Path> files = walk.filter(Files::isRegularFile)
          .filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml") || p.toString().endsWith(".json"))
          .sorted().toList();
      if (files.isEmpty()) {
        throw new InputException(fileOrDir + ": no .yaml, .yml or .json files in this directory");
      }
      return files;
    } catch (IOException e) {
      throw new InputException(fileOrDir + ": cannot list: " + e.getMessage());
    }
  }

  private static List<JsonNode> documents(Path file) throws InputException {
    List<JsonNode> docs = new ArrayList<>();
    try (MappingIterator<JsonNode> it = YAML_READER.readerFor(JsonNode.class).readValues(file.toFile())) {
      while (it.hasNextValue()) {
        JsonNode doc = it.nextValue();
        if (doc == null || doc.isNull() || doc.isMissingNode() || (doc.isObject() && doc.isEmpty())) {
          continue; // an empty document between two ---
        }
        if (!doc.isObject()) {
          throw new InputException(file + ": a document is not a mapping (expected a Kubernetes object)");
        }
        docs.add(doc);
      }
    } catch (IOException | RuntimeException e) {
      throw new InputException(file + ": not valid YAML: " + rootMessage(e).lines().findFirst().orElse(""));
    }
    return docs;
  }

  private static String rootMessage(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root.getMessage() == null ? root.toString() : root.getMessage();
  }
}
