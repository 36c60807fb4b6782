package dev.pulse.testsupport.llm;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The LLM gateway ({@code ./pulse gateway}, llm-runtime) as a child JVM in front of an OpenAI-compatible server,
 * configured as the operator configures it, through its PULSE_* environment. Used by {@code ./pulse local} and
 * {@code ./pulse eval --escalate}, so escalated posts take the pipeline's own path: prompt, schema, validation,
 * retry and fallback. Without Qdrant here, retrieval is off (PULSE_RAG_EXAMPLES=0, PULSE_RAG_GLOSSARY=0).
 */
public final class GatewayProcess implements AutoCloseable {
  private final ChildProcess process;
  private final int port;

  private GatewayProcess(ChildProcess process, int port) {
    this.process = process;
    this.port = port;
  }

  /**
   * @param llmBaseUrl the engine's OpenAI-compatible root, ending in /v1
   * @param model the served model the classifications ask for (an adapter's name, or the base model's)
   * @param settings more PULSE_* variables (timeouts, budget, concurrency); they win over the defaults here
   */
  public static GatewayProcess start(Path repo, String llmBaseUrl, String model, Map<String, String> settings,
      Path logDir, Duration deadline) throws IOException, InterruptedException {
    Path launcher = repo.resolve("pulse");
    if (!Files.isExecutable(launcher)) {
      throw new IOException("the gateway runs as ./pulse gateway from the Pulse source tree, and " + launcher
          + " is not there");
    }
    int port = dev.pulse.testsupport.FreePorts.one();
    Map<String, String> env = new HashMap<>();
    env.put("PULSE_GATEWAY_PORT", Integer.toString(port));
    env.put("PULSE_VLLM_BASE_URL", llmBaseUrl);
    env.put("PULSE_LLM_MODEL", model);
    env.put("PULSE_LLM_ASSIST_MODEL", model);
    env.put("PULSE_RAG_EXAMPLES", "0");
    env.put("PULSE_RAG_GLOSSARY", "0");
    // One llama.cpp server computes one answer at a time: more in flight would only queue there.
    env.put("PULSE_LLM_MAX_CONCURRENCY", "1");
    env.put("JAVA_OPTS", "-Xmx512m");
    env.putAll(settings);
    ChildProcess p = ChildProcess.start("LLM gateway", List.of(launcher.toString(), "gateway"), repo, env,
        logDir.resolve("llm-gateway-" + port + ".log"));
    GatewayProcess gateway = new GatewayProcess(p, port);
    p.awaitReady(URI.create(gateway.url() + "/actuator/health/readiness"), deadline);
    return gateway;
  }

  /** The gateway's root URL (POST /v1/classify below it). */
  public String url() {
    return "http://127.0.0.1:" + port;
  }

  public Path log() {
    return process.log();
  }

  @Override
  public void close() {
    process.close();
  }
}
