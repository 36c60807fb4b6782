package dev.pulse.crd.v1alpha1;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.pulse.crd.common.PulseStatus;

/** Observed state of a ModelAdapter: training phase, the adapter's location, and its evaluation. */
@JsonClassDescription("Observed state of a ModelAdapter, written by the operator: training phase, the adapter's location, its evaluation and conditions.")
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ModelAdapterStatus extends PulseStatus {

  /** Lifecycle of one training run. */
  public enum Phase { Pending, Training, Succeeded, Failed }

  @JsonPropertyDescription("Pending (waiting for the Job to start), Training, Succeeded (adapter ready to serve) or Failed (see the Ready condition's message).")
  private Phase phase;

  @JsonPropertyDescription("Name of the training Job of the current generation.")
  private String jobName;

  @JsonPropertyDescription("Where the trained adapter was written (PVC path or object-store URI); vLLM loads it from there.")
  private String adapterPath;

  @JsonPropertyDescription("Evaluation of the adapter on the held-out split, as reported by the trainer.")
  private AdapterMetrics metrics;

  @JsonPropertyDescription("File in adapterPath holding the chat template the adapter was trained with (the base model's or Pulse's fallback), as reported by the trainer; the LLM server is started with it (vLLM --chat-template). Unset: the trainer wrote none and vLLM uses the base model's own.")
  private String chatTemplate;

  public Phase getPhase() { return phase; }
  public void setPhase(Phase phase) { this.phase = phase; }
  public String getJobName() { return jobName; }
  public void setJobName(String jobName) { this.jobName = jobName; }
  public String getAdapterPath() { return adapterPath; }
  public void setAdapterPath(String adapterPath) { this.adapterPath = adapterPath; }
  public AdapterMetrics getMetrics() { return metrics; }
  public void setMetrics(AdapterMetrics metrics) { this.metrics = metrics; }
  public String getChatTemplate() { return chatTemplate; }
  public void setChatTemplate(String chatTemplate) { this.chatTemplate = chatTemplate; }

  /** Metrics the trainer writes to metrics.json and its termination message. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class AdapterMetrics {
    @JsonPropertyDescription("Accuracy on the held-out split, in [0, 1].")
    private Double accuracy;
    @JsonPropertyDescription("Macro-averaged recall on the held-out split (TweetEval's official sentiment metric), in [0, 1].")
    private Double macroRecall;
    @JsonPropertyDescription("Loss on the held-out split.")
    private Double evalLoss;
    @JsonPropertyDescription("Number of held-out posts the metrics were computed on.")
    private Integer evalSamples;

    public Double getAccuracy() { return accuracy; }
    public void setAccuracy(Double accuracy) { this.accuracy = accuracy; }
    public Double getMacroRecall() { return macroRecall; }
    public void setMacroRecall(Double macroRecall) { this.macroRecall = macroRecall; }
    public Double getEvalLoss() { return evalLoss; }
    public void setEvalLoss(Double evalLoss) { this.evalLoss = evalLoss; }
    public Integer getEvalSamples() { return evalSamples; }
    public void setEvalSamples(Integer evalSamples) { this.evalSamples = evalSamples; }
  }
}
