package dev.pulse.operator.support;

/**
 * Images of Pulse's runtimes, defaulting to the release of the same version. A resource's own
 * {@code image} field wins over these.
 *
 * @param pipelineRuntime ingesters and the Spark job
 * @param gateway the LLM gateway (llm-runtime)
 * @param trainer the QLoRA trainer (llm-runtime/trainer)
 * @param dashboard the dashboard backend + web app
 * @param vllm the vLLM OpenAI-compatible server
 */
public record PulseImages(String pipelineRuntime, String gateway, String trainer, String dashboard, String vllm) {

  public static final String VERSION = "0.1.0";

  public static PulseImages defaults() {
    return new PulseImages(
        "ghcr.io/pulse-dev/pulse-pipeline-runtime:" + VERSION,
        "ghcr.io/pulse-dev/pulse-llm-gateway:" + VERSION,
        "ghcr.io/pulse-dev/pulse-trainer:" + VERSION,
        "ghcr.io/pulse-dev/pulse-dashboard:" + VERSION,
        "vllm/vllm-openai:v0.11.0");
  }
}
