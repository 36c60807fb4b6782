package dev.pulse.observability;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.pulse.crd.v1alpha1.SentimentPipeline;
import dev.pulse.crd.v1alpha1.SentimentPipelineSpec;
import dev.pulse.crd.v1alpha1.pipeline.LlmSpec;
import dev.pulse.operator.pipeline.Monitoring;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The rules the operator generates (Monitoring.ruleGroups), as a Prometheus rule file, and what they read. */
final class PulseRules {
  static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  /** A metric selector: a name followed by its label matchers. Every Pulse expression selects with braces. */
  private static final Pattern SELECTOR = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)\\s*\\{");

  private PulseRules() {}

  /** The local run's pipeline (LocalRun: namespace "local", name "demo"), as a SentimentPipeline. */
  static SentimentPipeline pipeline(String namespace, String name, boolean llm) {
    SentimentPipeline p = new SentimentPipeline();
    p.setMetadata(new ObjectMetaBuilder().withNamespace(namespace).withName(name).build());
    SentimentPipelineSpec spec = new SentimentPipelineSpec();
    if (llm) {
      spec.setLlm(new LlmSpec());
    }
    p.setSpec(spec);
    return p;
  }

  static List<Object> groups(SentimentPipeline p) {
    return Monitoring.ruleGroups(p);
  }

  static Path write(SentimentPipeline p, Path file) throws IOException {
    YAML.writeValue(file.toFile(), Map.of("groups", groups(p)));
    return file;
  }

  @SuppressWarnings("unchecked")
  static List<Map<String, Object>> rules(SentimentPipeline p) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (Object g : groups(p)) {
      out.addAll((List<Map<String, Object>>) ((Map<String, Object>) g).get("rules"));
    }
    return out;
  }

  /** The metric names an expression selects (function names and {@code by (...)} are never followed by a brace). */
  static Set<String> metricNames(String promql) {
    Set<String> names = new TreeSet<>();
    Matcher m = SELECTOR.matcher(promql);
    while (m.find()) {
      names.add(m.group(1));
    }
    return names;
  }
}
