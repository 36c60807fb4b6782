package dev.pulse.operator.metrics;

import dev.pulse.contract.TracingOptions;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The tracing settings ({@link TracingOptions}: OTLP endpoint, sample ratio) the operator puts into the environment
 * of every pod it creates that runs Pulse's code: the ingesters, the Spark driver and executors (both launchers), the
 * LLM gateway and the dashboard. The LLM servers (vLLM, llama.cpp) get none: they run no Pulse code and their stock
 * images carry no OpenTelemetry exporter.
 *
 * <p>Operator-wide defaults come from the operator's own environment, {@value #ENDPOINT_ENV} and {@value #RATIO_ENV}
 * (the chart's {@code tracing.endpoint} and {@code tracing.sampleRatio}); a SentimentPipeline or SourceFeed overrides
 * them with the annotations {@value #ENDPOINT_ANNOTATION} and {@value #RATIO_ANNOTATION}. Without an endpoint the pods
 * get nothing (tracing off, and no rollout of existing pods). A value the contract refuses is left out and logged, so
 * a typo in an annotation does not stop the reconcile.
 */
public final class PodTracing {
  public static final String ENDPOINT_ENV = "PULSE_TRACING_ENDPOINT";
  public static final String RATIO_ENV = "PULSE_TRACING_SAMPLE_RATIO";
  public static final String ENDPOINT_ANNOTATION = "pulse.dev/tracing-endpoint";
  public static final String RATIO_ANNOTATION = "pulse.dev/tracing-sample-ratio";

  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(PodTracing.class);
  private static final Map<String, String> OPERATOR_ENV = System.getenv();

  private PodTracing() {}

  /** The tracing environment of the pods {@code owner} (a pipeline or a feed) runs, as the operator is set. */
  public static List<EnvVar> env(HasMetadata owner) {
    return env(owner, OPERATOR_ENV);
  }

  /** As {@link #env(HasMetadata)} with the operator's environment given (tests). */
  public static List<EnvVar> env(HasMetadata owner, Map<String, String> operatorEnv) {
    Map<String, String> annotations = owner.getMetadata().getAnnotations();
    String endpoint = pick(annotations, ENDPOINT_ANNOTATION, operatorEnv.get(ENDPOINT_ENV), TracingOptions.ENDPOINT);
    if (endpoint == null || endpoint.isBlank()) {
      return List.of();
    }
    String ratio = pick(annotations, RATIO_ANNOTATION, operatorEnv.get(RATIO_ENV), TracingOptions.SAMPLE_RATIO);
    Map<String, String> conf = new LinkedHashMap<>();
    TracingOptions.ENDPOINT.writeText(conf, endpoint);
    TracingOptions.SAMPLE_RATIO.writeText(conf, ratio); // blank: the contract's low default, written out
    return conf.entrySet().stream()
        .map(e -> new EnvVarBuilder().withName(e.getKey()).withValue(e.getValue()).build())
        .toList();
  }

  /** The annotation's value when the contract accepts it, else the operator's default when it does, else null. */
  private static String pick(Map<String, String> annotations, String annotation, String operatorDefault,
      dev.pulse.contract.ConfigOption<?> option) {
    String own = annotations == null ? null : annotations.get(annotation);
    if (accepted(own, option, "annotation " + annotation)) return own.trim();
    if (accepted(operatorDefault, option, "the operator's environment")) return operatorDefault.trim();
    return null;
  }

  private static boolean accepted(String value, dev.pulse.contract.ConfigOption<?> option, String from) {
    if (value == null || value.isBlank()) return false;
    try {
      option.read(Map.of(option.key(), value));
      return true;
    } catch (IllegalArgumentException e) {
      LOG.warn("tracing setting from {} left out: {}", from, e.getMessage());
      return false;
    }
  }
}
