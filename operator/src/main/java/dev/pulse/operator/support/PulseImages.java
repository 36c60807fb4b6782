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

  /** Fills the images not configured (null or blank) from {@code defaults}. */
  public PulseImages withDefaults(PulseImages defaults) {
    return new PulseImages(or(pipelineRuntime, defaults.pipelineRuntime), or(gateway, defaults.gateway),
        or(trainer, defaults.trainer), or(dashboard, defaults.dashboard), or(vllm, defaults.vllm));
  }

  private static String or(String value, String fallback) {
    return value == null || value.isBlank() ? fallback : value;
  }
}
