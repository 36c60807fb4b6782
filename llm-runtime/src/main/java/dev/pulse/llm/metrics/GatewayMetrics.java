package dev.pulse.llm.metrics;

import dev.pulse.llm.model.FallbackReason;
import dev.pulse.llm.model.Source;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;

/**
 * The gateway's meters. Tags are a pipeline name (one per SentimentPipeline) and small enums, so the
 * number of series stays bounded.
 */
public final class GatewayMetrics {
  /** From a cached answer (tens of ms) to a CPU model's slow batch (tens of seconds). */
  private static final Duration[] LLM_CALL_BUCKETS = {Duration.ofMillis(50), Duration.ofMillis(100),
      Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofMillis(2500),
      Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofSeconds(60)};
  private final MeterRegistry registry;

  public GatewayMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  /** One post classified, by whom (pulse_gateway_classifications_total). */
  public void classified(String pipeline, Source source) {
    Counter.builder("pulse.gateway.classifications")
        .description("Posts classified, by source: LLM or FALLBACK (the light score stands)")
        .tag("pipeline", pipeline)
        .tag("source", source.name())
        .register(registry)
        .increment();
  }

  /** An LLM answer not used, and why (pulse_gateway_fallbacks_total). */
  public void fellBack(String pipeline, String endpoint, FallbackReason reason) {
    Counter.builder("pulse.gateway.fallbacks")
        .description("Requests answered without the LLM, by reason")
        .tag("pipeline", pipeline)
        .tag("endpoint", endpoint)
        .tag("reason", reason.name())
        .register(registry)
        .increment();
    if (reason == FallbackReason.BUDGET) {
      Counter.builder("pulse.gateway.llm.budget.exceeded")
          .description("LLM calls refused because the pipeline's per-minute budget was spent")
          .tag("pipeline", pipeline)
          .register(registry)
          .increment();
    }
  }

  /** One call to vLLM and how it ended (pulse_gateway_llm_calls_seconds). */
  public void llmCall(String outcome, Duration took) {
    Timer.builder("pulse.gateway.llm.calls")
        .description("Calls to vLLM, by outcome: ok, invalid_output, timeout, upstream_error")
        .tag("outcome", outcome)
        // A histogram in seconds (pulse_gateway_llm_calls_seconds_bucket): quantiles across gateway pods.
        .serviceLevelObjectives(LLM_CALL_BUCKETS)
        .register(registry)
        .record(took);
  }

  /** Retrieval from Qdrant failed; the prompt went without context (pulse_gateway_rag_failures_total). */
  public void retrievalFailed() {
    Counter.builder("pulse.gateway.rag.failures")
        .description("Qdrant searches that failed; the LLM got the post without few-shot context")
        .register(registry)
        .increment();
  }

  public MeterRegistry registry() {
    return registry;
  }
}
