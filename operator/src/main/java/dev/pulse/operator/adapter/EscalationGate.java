package dev.pulse.operator.adapter;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pulse.crd.common.PulseCondition;
import dev.pulse.operator.support.Conditions;
import java.util.Locale;

/**
 * The trainer's escalation gate (llm-runtime/trainer, {@code pulse_trainer.gate}), as its termination message carries
 * it: does the adapter beat the light scorer on the held-out posts a pipeline would send it (those under the
 * escalation threshold), and which threshold does it recommend. The operator promotes an adapter only when it passed:
 * {@link #promoted} is the ModelAdapter's {@value #PROMOTED} condition.
 *
 * @param passed true or false; null when the gate could not run (no light-scorer verdicts in the held-out split)
 * @param reason BeatsLightScorer, DoesNotBeatLightScorer, TooFewUnsure or NoLightScores
 * @param threshold the recommended escalation threshold (only when passed); {@code closestThreshold} otherwise
 */
public record EscalationGate(Boolean passed, String reason, Double threshold, Double closestThreshold,
    Integer escalated, Integer evalSamples, Double lightOnEscalated, Double adapterOnEscalated, Double combined,
    Double lightOnly, Integer minEscalated) {

  public static final String PROMOTED = "Promoted";

  static EscalationGate parse(JsonNode node) {
    if (node == null || !node.isObject()) {
      return null;
    }
    return new EscalationGate(node.path("passed").isBoolean() ? node.get("passed").asBoolean() : null,
        node.path("reason").asText(null), number(node, "threshold"), number(node, "closestThreshold"),
        integer(node, "escalated"), integer(node, "evalSamples"), number(node, "lightOnEscalated"),
        number(node, "adapterOnEscalated"), number(node, "combined"), number(node, "lightOnly"),
        integer(node, "minEscalated"));
  }

  /** Whether the pipelines may serve this generation: it passed, or no gate could run (promoted as before). */
  public boolean promotes() {
    return passed == null || passed;
  }

  /**
   * The {@value #PROMOTED} condition of generation {@code generation}; {@code kept} says what pipelines serve
   * instead when it is not promoted (the previously promoted adapter's path, or null).
   */
  public PulseCondition promoted(long generation, String kept) {
    String gen = "Generation " + generation;
    if (passed == null) {
      return Conditions.of(PROMOTED, true, "NotGated", gen + " was promoted without the escalation gate: its held-out"
          + " posts carry no light-scorer verdict (lightLabel, lightConfidence), so whether it beats the light scorer"
          + " is unknown. To gate it, train on posts that carry them: a pipeline's labelled topic"
          + " (pulse.pipeline.<namespace>.<pipeline>.labelled), named as spec.dataset.labelledTopic.pipeline (read"
          + " when the training Job starts), or, for a pipeline with Kafka TLS or SASL, exported as JSON Lines by"
          + " ./pulse train-scorer --labelled kafka://HOST:PORT/TOPIC --export-labelled train.jsonl and given as"
          + " spec.dataset (a ConfigMap key or a file on a PVC).");
    }
    if (passed) {
      return Conditions.of(PROMOTED, true, "BeatsLightScorer", gen + " beats the light scorer on the posts it would"
          + " receive: macro-recall " + f(adapterOnEscalated) + " against " + f(lightOnEscalated) + " on the "
          + escalated + " of " + evalSamples + " held-out posts under confidence " + f(threshold)
          + "; with the light scorer on the rest " + f(combined) + " against " + f(lightOnly)
          + " for the light scorer alone. Recommended spec.scoring.escalationThreshold: " + f(threshold) + ".");
    }
    String keeps = kept == null
        ? "no adapter was promoted before, so the LLM server is left as it is; until one passes, escalation earns"
            + " nothing: the recommended spec.scoring.escalationThreshold is 0 (escalation off)"
        : "pipelines keep serving the adapter promoted before (" + kept + ")";
    if ("TooFewUnsure".equals(reason)) {
      return Conditions.of(PROMOTED, false, "TooFewUnsure", gen + " is not promoted: fewer than " + minEscalated
          + " of its " + evalSamples + " held-out posts are under any escalation threshold, too few to tell whether it"
          + " beats the light scorer (hold out more posts); " + keeps + ".");
    }
    return Conditions.of(PROMOTED, false, "DoesNotBeatLightScorer", gen + " is not promoted: it does not beat the"
        + " light scorer on the posts it would receive (closest at threshold " + f(closestThreshold) + ": macro-recall "
        + f(adapterOnEscalated) + " against " + f(lightOnEscalated) + " on " + escalated + " of " + evalSamples
        + " held-out posts; with the light scorer on the rest " + f(combined) + " against " + f(lightOnly)
        + " alone); " + keeps + ".");
  }

  private static String f(Double v) {
    return v == null ? "?" : String.format(Locale.ROOT, "%.4f", v).replaceAll("0+$", "").replaceAll("\\.$", ".0");
  }

  private static Double number(JsonNode node, String field) {
    return node.hasNonNull(field) && node.get(field).isNumber() ? node.get(field).asDouble() : null;
  }

  private static Integer integer(JsonNode node, String field) {
    return node.hasNonNull(field) && node.get(field).isNumber() ? node.get(field).asInt() : null;
  }
}
