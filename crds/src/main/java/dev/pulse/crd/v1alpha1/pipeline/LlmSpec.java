package dev.pulse.crd.v1alpha1.pipeline;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.pulse.crd.common.SecretKeyRef;
import dev.pulse.crd.common.Validation;
import dev.pulse.crd.v1alpha1.adapter.GpuResources;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/** The LLM server (vLLM on GPUs, or llama.cpp on CPUs; both OpenAI-compatible) and the gateway in front of it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "!self.enabled || has(self.baseModel)", message = "llm.baseModel is required when llm.enabled is true (e.g. google/gemma-2b)", fieldPath = ".baseModel")
public class LlmSpec {

  /** Weight formats vLLM can load a 4-bit or full model in. */
  public enum Quantization {
    @com.fasterxml.jackson.annotation.JsonProperty("bitsandbytes") BITSANDBYTES,
    @com.fasterxml.jackson.annotation.JsonProperty("awq") AWQ,
    @com.fasterxml.jackson.annotation.JsonProperty("gptq") GPTQ,
    @com.fasterxml.jackson.annotation.JsonProperty("none") NONE
  }

  /** Which server runs the model. */
  public enum Engine {
    @com.fasterxml.jackson.annotation.JsonProperty("vllm") VLLM,
    @com.fasterxml.jackson.annotation.JsonProperty("llamacpp") LLAMACPP
  }

  @Default("vllm")
  @JsonPropertyDescription("The LLM server. vllm (default): vLLM on a GPU with the base model in 4-bit and the ModelAdapter's "
      + "LoRA adapter in peft format. llamacpp: llama.cpp's OpenAI-compatible server on CPUs (no GPU requested; "
      + "resources.gpus is ignored), from Pulse's pulse-llamacpp image, which carries the model file "
      + "(SmolLM2-135M-Instruct, Q4_1 GGUF, unless the image was built with another); it serves the ModelAdapter's "
      + "adapter.gguf (llama.cpp's LoRA format, written by the trainer beside the peft files). The Service, the "
      + "gateway and the served model names are the same for both engines.")
  private Engine engine;

  @Default("true")
  @JsonPropertyDescription("When false, nothing is escalated: the light score stands for every post and no GPU is used.")
  private Boolean enabled;

  @Size(min = 3, max = 200)
  @ValidationRule(value = "self.matches('^[A-Za-z0-9][A-Za-z0-9._-]*/[A-Za-z0-9][A-Za-z0-9._-]*$')", message = "must be a Hugging Face model id of the form owner/name, e.g. google/gemma-2b")
  @JsonPropertyDescription("Base model vLLM serves (--model), e.g. google/gemma-2b or microsoft/phi-2. Must match the ModelAdapter's base model.")
  private String baseModel;

  @Size(min = 1, max = 253)
  @ValidationRule(value = Validation.DNS1123_SUBDOMAIN_RULE, message = "must be the name of a ModelAdapter in this namespace")
  @JsonPropertyDescription("Name of the ModelAdapter whose trained LoRA adapter vLLM serves. Without one, the base model answers.")
  private String modelAdapterRef;

  @Min(0)
  @Max(16)
  @JsonPropertyDescription("LLM server replicas (0-16). Omit to leave the count to its owner, e.g. a HorizontalPodAutoscaler or kubectl scale: the Deployment starts with 1 and the operator never sets it.")
  private Integer replicas;

  @Default("bitsandbytes")
  @JsonPropertyDescription("vLLM --quantization: bitsandbytes (4-bit, default), awq, gptq or none.")
  private Quantization quantization;

  @Default("4")
  @Min(1)
  @Max(64)
  @JsonPropertyDescription("vLLM --max-loras: adapters kept on the GPU at once (1-64). Default 4.")
  private Integer maxLoras;

  @Default("{}")
  @JsonPropertyDescription("GPU, CPU and memory of each vLLM pod.")
  private GpuResources resources;

  @Default("600")
  @Min(0)
  @Max(1000000)
  @JsonPropertyDescription("Budget of LLM calls per minute for this pipeline; over it the light score stands (counted in metrics). Default 600.")
  private Integer maxCallsPerMinute;

  @Default("2s")
  @Size(min = 2, max = 32)
  @ValidationRule(value = Validation.DURATION_RULE, message = Validation.DURATION_MESSAGE)
  @JsonPropertyDescription("Timeout of one escalation batch, as a duration; on timeout the light score stands and the post is marked. Default 2s.")
  private String timeout;

  @JsonPropertyDescription("Secret key with a Hugging Face Hub token, for gated base models such as Gemma. The key defaults to token.")
  private SecretKeyRef hubTokenSecret;

  @JsonPropertyDescription("Secret key with the LLM gateway's service token (any long random string). The gateway answers /v1 only to callers that send it as a bearer token, and the operator gives it to the Spark job and the dashboard. When unset, the operator makes a Secret <pipeline>-gateway-token (owned by the pipeline, a random token made once and kept) so the gateway is never open; a named Secret that is missing is reported as SecretMissing. The key defaults to token.")
  private SecretKeyRef gatewayTokenSecret;

  @Size(min = 1, max = 512)
  @JsonPropertyDescription("vLLM image. Default vllm/vllm-openai at the version Pulse is tested with.")
  private String image;

  public Engine getEngine() { return engine; }
  public void setEngine(Engine engine) { this.engine = engine; }
  public Boolean getEnabled() { return enabled; }
  public void setEnabled(Boolean enabled) { this.enabled = enabled; }
  public String getBaseModel() { return baseModel; }
  public void setBaseModel(String baseModel) { this.baseModel = baseModel; }
  public String getModelAdapterRef() { return modelAdapterRef; }
  public void setModelAdapterRef(String modelAdapterRef) { this.modelAdapterRef = modelAdapterRef; }
  public Integer getReplicas() { return replicas; }
  public void setReplicas(Integer replicas) { this.replicas = replicas; }
  public Quantization getQuantization() { return quantization; }
  public void setQuantization(Quantization quantization) { this.quantization = quantization; }
  public Integer getMaxLoras() { return maxLoras; }
  public void setMaxLoras(Integer maxLoras) { this.maxLoras = maxLoras; }
  public GpuResources getResources() { return resources; }
  public void setResources(GpuResources resources) { this.resources = resources; }
  public Integer getMaxCallsPerMinute() { return maxCallsPerMinute; }
  public void setMaxCallsPerMinute(Integer maxCallsPerMinute) { this.maxCallsPerMinute = maxCallsPerMinute; }
  public String getTimeout() { return timeout; }
  public void setTimeout(String timeout) { this.timeout = timeout; }
  public SecretKeyRef getGatewayTokenSecret() { return gatewayTokenSecret; }
  public void setGatewayTokenSecret(SecretKeyRef gatewayTokenSecret) { this.gatewayTokenSecret = gatewayTokenSecret; }
  public SecretKeyRef getHubTokenSecret() { return hubTokenSecret; }
  public void setHubTokenSecret(SecretKeyRef hubTokenSecret) { this.hubTokenSecret = hubTokenSecret; }
  public String getImage() { return image; }
  public void setImage(String image) { this.image = image; }

  public boolean enabledOrTrue() { return !Boolean.FALSE.equals(enabled); }

  /** llama.cpp on CPUs rather than vLLM on a GPU. */
  public boolean llamaCpp() { return engine == Engine.LLAMACPP; }
}
