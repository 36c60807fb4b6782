package dev.pulse.local;

import dev.pulse.testsupport.llm.GatewayProcess;
import dev.pulse.testsupport.llm.LlamaCppServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * The real LLM for {@code ./pulse local} (on unless --no-llm): llama.cpp's OpenAI-compatible server with
 * SmolLM2-135M-Instruct on CPU ({@code hack/llm/serve.sh}, built and cached on first use) and the LLM gateway in
 * front of it ({@code ./pulse gateway}), both child processes. The stream core escalates its unsure posts to the
 * gateway as the Spark job does, so the dashboard shows LLM-scored posts with their rationale.
 *
 * <p>One CPU engine answers about one post a second on 2 cores, far below the replay's rate, so the gateway's
 * budget caps the LLM at {@link #CALLS_PER_MINUTE} calls a minute; posts over it keep their light score at once
 * (FALLBACK, reason BUDGET), as a pipeline over its budget does.
 */
final class LocalLlm implements AutoCloseable {
  /**
   * The stream core waits for each escalated batch, so LLM time is ingest→dashboard latency for every post behind
   * it: measured at 10 posts/s with 30 calls/min, p50 7.7 s and p99 10.3 s (light only: tens of ms). 12 a minute
   * keeps the loop waiting about a quarter of the time.
   */
  static final int CALLS_PER_MINUTE = 12;
  /**
   * Lower than a cluster pipeline's default (0.6): the stream core waits for each escalated batch, so every post
   * escalated costs latency. On a TweetEval sample, 0.5 sent ~10% of posts to this model (./pulse eval --escalate).
   */
  static final double THRESHOLD = 0.5;
  /** Per gateway request from the stream core; the gateway answers unfinished posts as TIMEOUT before it. */
  static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(8);

  private final LlamaCppServer engine;
  private final GatewayProcess gateway;

  private LocalLlm(LlamaCppServer engine, GatewayProcess gateway) {
    this.engine = engine;
    this.gateway = gateway;
  }

  /**
   * The gateway's service token for this run: random, held only by this JVM and the gateway's environment, so no
   * other local process can spend the LLM budget; the stream core (system property pulse.gateway.token) and the
   * dashboard send it.
   */
  static final String TOKEN = newToken();

  private static String newToken() {
    byte[] bytes = new byte[32];
    new java.security.SecureRandom().nextBytes(bytes);
    return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  static LocalLlm start(Path repo, Path logs) throws Exception {
    LlamaCppServer engine = LlamaCppServer.start(repo, Map.of(), logs, LlamaCppServer.FIRST_START);
    try {
      System.setProperty("pulse.gateway.token", TOKEN);
      GatewayProcess gateway = GatewayProcess.start(repo, engine.baseUrl(), LlamaCppServer.BASE_MODEL, Map.of(
          "PULSE_GATEWAY_TOKEN", TOKEN,
          "PULSE_LLM_BUDGET_PER_MINUTE", Integer.toString(CALLS_PER_MINUTE),
          "PULSE_LLM_TIMEOUT", "4s",
          "PULSE_LLM_BATCH_TIMEOUT", "5s"), logs, Duration.ofMinutes(10));
      return new LocalLlm(engine, gateway);
    } catch (Exception e) {
      engine.close();
      throw e;
    }
  }

  String gatewayUrl() {
    return gateway.url();
  }

  String describe() {
    return "LLM escalation: SmolLM2-135M-Instruct (llama.cpp, CPU) behind the LLM gateway at " + gateway.url()
        + ", posts under confidence " + THRESHOLD + ", at most " + CALLS_PER_MINUTE + " calls/min, 5 s per batch; logs " + engine.log().getParent();
  }

  @Override
  public void close() {
    gateway.close();
    engine.close();
  }
}
