package dev.pulse.crd.v1alpha1.adapter;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.pulse.crd.common.PvcPath;
import dev.pulse.crd.common.SecretKeyRef;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/** A base model and the source of its weights. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "has(self.weightsPvc) != has(self.hubTokenSecret)", message = "set exactly one of baseModel.weightsPvc (weights already on a volume) or baseModel.hubTokenSecret (download from the Hugging Face Hub)")
public class BaseModel {

  @Required
  @Size(min = 3, max = 200)
  @ValidationRule(value = "self.matches('^[A-Za-z0-9][A-Za-z0-9._-]*/[A-Za-z0-9][A-Za-z0-9._-]*$')", message = "must be a Hugging Face model id of the form owner/name, e.g. google/gemma-2b or microsoft/phi-2")
  @JsonPropertyDescription("Hugging Face model id of the base model, e.g. google/gemma-2b or microsoft/phi-2 (2-3B models fit one 6 GB GPU in 4-bit).")
  private String name;

  @Default("nf4")
  @JsonPropertyDescription("Quantization of the frozen base weights during training: nf4 (QLoRA, default), fp4, or none (plain LoRA, needs ~4x the GPU memory).")
  private Quantization quantization;

  @JsonPropertyDescription("A PVC that already holds the model's weights in Hugging Face layout (offline clusters).")
  private PvcPath weightsPvc;

  @JsonPropertyDescription("Secret key with a Hugging Face Hub token, for gated models such as Gemma. The key defaults to token.")
  private SecretKeyRef hubTokenSecret;

  /** 4-bit or no quantization of the frozen base model. */
  public enum Quantization {
    @com.fasterxml.jackson.annotation.JsonProperty("nf4") NF4,
    @com.fasterxml.jackson.annotation.JsonProperty("fp4") FP4,
    @com.fasterxml.jackson.annotation.JsonProperty("none") NONE
  }

  public String getName() { return name; }
  public void setName(String name) { this.name = name; }
  public Quantization getQuantization() { return quantization; }
  public void setQuantization(Quantization quantization) { this.quantization = quantization; }
  public PvcPath getWeightsPvc() { return weightsPvc; }
  public void setWeightsPvc(PvcPath weightsPvc) { this.weightsPvc = weightsPvc; }
  public SecretKeyRef getHubTokenSecret() { return hubTokenSecret; }
  public void setHubTokenSecret(SecretKeyRef hubTokenSecret) { this.hubTokenSecret = hubTokenSecret; }
}
