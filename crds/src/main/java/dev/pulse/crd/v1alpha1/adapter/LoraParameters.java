package dev.pulse.crd.v1alpha1.adapter;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;

/** LoRA hyper-parameters, passed to the trainer exactly as given. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class LoraParameters {

  @Default("16")
  @Min(1)
  @Max(256)
  @JsonPropertyDescription("LoRA rank r (1-256). Default 16.")
  private Integer r;

  @Default("32")
  @Min(1)
  @Max(1024)
  @JsonPropertyDescription("LoRA alpha (scaling numerator, 1-1024). Default 32.")
  private Integer alpha;

  @Default("0.05")
  @Min(0)
  @Max(value = 1, inclusive = false)
  @JsonPropertyDescription("Dropout on the LoRA layers, in [0, 1). Default 0.05.")
  private Double dropout;

  @Size(min = 1, max = 16)
  @ValidationRule(value = "self.all(m, m.matches('^[A-Za-z_][A-Za-z0-9_.]{0,63}$'))", message = "target modules are module names such as q_proj or dense")
  @JsonPropertyDescription("Modules that get LoRA layers. Default [q_proj, k_proj, v_proj, o_proj] (Gemma); use [q_proj, k_proj, v_proj, dense] for Phi-2.")
  private List<@Size(max = 64) String> targetModules;

  @Default("3")
  @Min(1)
  @Max(100)
  @JsonPropertyDescription("Training epochs (1-100). Default 3.")
  private Integer epochs;

  @Default("0.0002")
  @Min(value = 0, inclusive = false)
  @Max(0.1)
  @JsonPropertyDescription("Peak learning rate, in (0, 0.1]. Default 2e-4.")
  private Double learningRate;

  @Default("256")
  @Min(16)
  @Max(8192)
  @JsonPropertyDescription("Maximum tokens per training example (16-8192); longer prompts are truncated. Default 256.")
  private Integer maxLength;

  @Default("4")
  @Min(1)
  @Max(256)
  @JsonPropertyDescription("Per-device batch size (1-256). Default 4.")
  private Integer batchSize;

  @Default("4")
  @Min(1)
  @Max(256)
  @JsonPropertyDescription("Gradient accumulation steps (1-256); effective batch = batchSize x gradientAccumulation. Default 4.")
  private Integer gradientAccumulation;

  public Integer getR() { return r; }
  public void setR(Integer r) { this.r = r; }
  public Integer getAlpha() { return alpha; }
  public void setAlpha(Integer alpha) { this.alpha = alpha; }
  public Double getDropout() { return dropout; }
  public void setDropout(Double dropout) { this.dropout = dropout; }
  public List<String> getTargetModules() { return targetModules; }
  public void setTargetModules(List<String> targetModules) { this.targetModules = targetModules; }
  public Integer getEpochs() { return epochs; }
  public void setEpochs(Integer epochs) { this.epochs = epochs; }
  public Double getLearningRate() { return learningRate; }
  public void setLearningRate(Double learningRate) { this.learningRate = learningRate; }
  public Integer getMaxLength() { return maxLength; }
  public void setMaxLength(Integer maxLength) { this.maxLength = maxLength; }
  public Integer getBatchSize() { return batchSize; }
  public void setBatchSize(Integer batchSize) { this.batchSize = batchSize; }
  public Integer getGradientAccumulation() { return gradientAccumulation; }
  public void setGradientAccumulation(Integer gradientAccumulation) { this.gradientAccumulation = gradientAccumulation; }
}
