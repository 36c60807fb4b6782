package dev.pulse.operator.adapter;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pulse.crd.v1alpha1.ModelAdapterStatus.AdapterMetrics;
import java.io.IOException;
import java.util.Optional;

/**
 * What the trainer wrote to its termination message (llm-runtime/trainer, {@code pulse_trainer.termination}):
 * {@code {"phase":"Succeeded","adapterPath":...,"metrics":{"accuracy","macroRecall","evalLoss","trainLoss","steps"},
 * "device","quantization","gate":{...},"chatTemplate":"chat_template.jinja"} ({@link EscalationGate}) or {@code {"phase":"Failed","reason":...,"message":...}}. With
 * {@code FallbackToLogsOnError} a crash before the trainer could write leaves the log's tail instead, kept here as
 * the message.
 */
public record TrainerReport(String phase, String reason, String message, AdapterMetrics metrics, EscalationGate gate,
    String chatTemplate) {

  private static final ObjectMapper JSON = new ObjectMapper();
  /** A plain file name in the adapter's directory: a path from the message must not reach outside it. */
  private static final java.util.regex.Pattern FILE_NAME = java.util.regex.Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9._-]{0,127}");

  public TrainerReport(String phase, String reason, String message, AdapterMetrics metrics, EscalationGate gate) {
    this(phase, reason, message, metrics, gate, null);
  }

  public boolean succeeded() {
    return "Succeeded".equals(phase);
  }

  public static Optional<TrainerReport> parse(String terminationMessage) {
    if (terminationMessage == null || terminationMessage.isBlank()) {
      return Optional.empty();
    }
    try {
      JsonNode root = JSON.readTree(terminationMessage);
      if (root != null && root.isObject() && root.hasNonNull("phase")) {
        return Optional.of(new TrainerReport(root.get("phase").asText(), text(root, "reason"), text(root, "message"),
            metrics(root.get("metrics")), EscalationGate.parse(root.get("gate")), chatTemplate(root)));
      }
    } catch (IOException notJson) {
      // the log tail of a crash: fall through
    }
    return Optional.of(new TrainerReport(null, null, lastLines(terminationMessage), null, null));
  }

  /** {@code "chatTemplate":"chat_template.jinja"}: the template the trainer wrote next to the adapter, if any. */
  private static String chatTemplate(JsonNode root) {
    String name = text(root, "chatTemplate");
    return name != null && FILE_NAME.matcher(name).matches() && !name.contains("..") ? name : null;
  }

  private static AdapterMetrics metrics(JsonNode node) {
    if (node == null || !node.isObject()) {
      return null;
    }
    AdapterMetrics metrics = new AdapterMetrics();
    metrics.setAccuracy(number(node, "accuracy"));
    metrics.setMacroRecall(number(node, "macroRecall"));
    metrics.setEvalLoss(number(node, "evalLoss"));
    if (node.hasNonNull("evalSamples")) {
      metrics.setEvalSamples(node.get("evalSamples").asInt());
    }
    return metrics;
  }

  private static Double number(JsonNode node, String field) {
    return node.hasNonNull(field) && node.get(field).isNumber() ? node.get(field).asDouble() : null;
  }

  private static String text(JsonNode node, String field) {
    return node.hasNonNull(field) ? node.get(field).asText() : null;
  }

  private static String lastLines(String log) {
    String trimmed = log.strip();
    return trimmed.length() <= 400 ? trimmed : "..." + trimmed.substring(trimmed.length() - 400);
  }
}
