package dev.pulse.crd.v1alpha1.adapter;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.pulse.crd.common.ConfigMapKeyRef;
import dev.pulse.crd.common.PvcPath;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.ValidationRule;

/** Labelled posts to fine-tune on. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "(has(self.configMap) ? 1 : 0) + (has(self.pvc) ? 1 : 0) + (has(self.labelledTopic) ? 1 : 0) == 1",
    message = "set exactly one of dataset.configMap, dataset.pvc or dataset.labelledTopic")
public class TrainingDataset {

  @JsonPropertyDescription("ConfigMap key holding the JSONL (small sets, up to 1 MiB).")
  private ConfigMapKeyRef configMap;

  @JsonPropertyDescription("JSONL file on a PersistentVolumeClaim (path is the file).")
  private PvcPath pvc;

  @JsonPropertyDescription("A SentimentPipeline's labelled topic, exported to the training pod when its Job starts "
      + "(an init container reads it to its end).")
  private LabelledTopicDataset labelledTopic;

  @Default("0.1")
  @Min(value = 0.01)
  @Max(0.5)
  @JsonPropertyDescription("Share of the posts held out for evaluation, in [0.01, 0.5]. Default 0.1.")
  private Double evalFraction;

  public ConfigMapKeyRef getConfigMap() { return configMap; }
  public void setConfigMap(ConfigMapKeyRef configMap) { this.configMap = configMap; }
  public PvcPath getPvc() { return pvc; }
  public void setPvc(PvcPath pvc) { this.pvc = pvc; }
  public LabelledTopicDataset getLabelledTopic() { return labelledTopic; }
  public void setLabelledTopic(LabelledTopicDataset labelledTopic) { this.labelledTopic = labelledTopic; }
  public Double getEvalFraction() { return evalFraction; }
  public void setEvalFraction(Double evalFraction) { this.evalFraction = evalFraction; }
}
