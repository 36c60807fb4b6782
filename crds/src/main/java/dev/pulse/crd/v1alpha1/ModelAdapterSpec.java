package dev.pulse.crd.v1alpha1;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.pulse.crd.common.Validation;
import dev.pulse.crd.v1alpha1.adapter.AdapterOutput;
import dev.pulse.crd.v1alpha1.adapter.BaseModel;
import dev.pulse.crd.v1alpha1.adapter.GpuResources;
import dev.pulse.crd.v1alpha1.adapter.LoraParameters;
import dev.pulse.crd.v1alpha1.adapter.TrainingDataset;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.generator.annotation.Size;

/** Desired state of a ModelAdapter: base model, data, LoRA hyper-parameters, resources, output. */
@JsonClassDescription("Desired state of a ModelAdapter: base model, training data, LoRA hyper-parameters, resources and where the adapter is written.")
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ModelAdapterSpec {

  @Required
  @JsonPropertyDescription("The base model to fine-tune and where its weights come from.")
  private BaseModel baseModel;

  @Required
  @JsonPropertyDescription("Labelled posts to train on: JSONL with text, label (negative|neutral|positive) and optional rationale.")
  private TrainingDataset dataset;

  @JsonPropertyDescription("LoRA hyper-parameters. Every field has a default that fits a 2B model on a 6 GB GPU.")
  private LoraParameters lora;

  @JsonPropertyDescription("GPU, CPU and memory of the training Job.")
  private GpuResources resources;

  @Required
  @JsonPropertyDescription("Where the trained adapter is written.")
  private AdapterOutput output;

  @Size(min = 1, max = 512)
  @JsonPropertyDescription("Trainer image. Defaults to the operator's built-in trainer image of the same Pulse version.")
  private String image;

  @Default("2")
  @Min(0)
  @Max(10)
  @JsonPropertyDescription("Retries of the training Job before it is marked Failed (Job backoffLimit). Default 2.")
  private Integer backoffLimit;

  @Default("6h")
  @Size(min = 2, max = 32)
  @ValidationRule(value = Validation.DURATION_RULE, message = Validation.DURATION_MESSAGE)
  @JsonPropertyDescription("Longest a training run may take before it is stopped and marked Failed (Job activeDeadlineSeconds), as a duration. Default 6h.")
  private String activeDeadline;

  public BaseModel getBaseModel() { return baseModel; }
  public void setBaseModel(BaseModel baseModel) { this.baseModel = baseModel; }
  public TrainingDataset getDataset() { return dataset; }
  public void setDataset(TrainingDataset dataset) { this.dataset = dataset; }
  public LoraParameters getLora() { return lora; }
  public void setLora(LoraParameters lora) { this.lora = lora; }
  public GpuResources getResources() { return resources; }
  public void setResources(GpuResources resources) { this.resources = resources; }
  public AdapterOutput getOutput() { return output; }
  public void setOutput(AdapterOutput output) { this.output = output; }
  public String getImage() { return image; }
  public void setImage(String image) { this.image = image; }
  public Integer getBackoffLimit() { return backoffLimit; }
  public void setBackoffLimit(Integer backoffLimit) { this.backoffLimit = backoffLimit; }
  public String getActiveDeadline() { return activeDeadline; }
  public void setActiveDeadline(String activeDeadline) { this.activeDeadline = activeDeadline; }
}
