package dev.pulse.llm;

import java.nio.file.Path;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.autoconfigure.security.servlet.UserDetailsServiceAutoConfiguration;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** The LLM gateway: the Spark job's escalation path to vLLM, with RAG over Qdrant. */
// No user store: the only credential is the service token (config/GatewaySecurity), so Boot's generated default
// user (and its password in the log) is left out.
@SpringBootApplication(exclude = UserDetailsServiceAutoConfiguration.class)
@ConfigurationPropertiesScan
public class GatewayApplication {

  public static void main(String[] args) {
    if (java.util.Arrays.asList(args).contains("--help") || java.util.Arrays.asList(args).contains("-h")) {
      System.out.println(USAGE);
      return;
    }
    nativeCacheInTmp();
    SpringApplication.run(GatewayApplication.class, args);
  }

  static final String USAGE = String.join("\n",
      "Usage: pulse gateway [--server.port=PORT]",
      "Runs the LLM gateway: POST /v1/classify (batch escalation from the Spark job), /v1/alerts/explain,",
      "/v1/responses/draft; health and Prometheus metrics under /actuator. It starts without vLLM or Qdrant",
      "(posts then fall back to their light score, marked as such).",
      "",
      "Configuration (environment; llm-runtime/README.md lists every variable and its default):",
      "  PULSE_VLLM_BASE_URL          vLLM's OpenAI-compatible root, e.g. http://vllm:8000/v1",
      "  PULSE_LLM_MODEL              served name of the LoRA adapter",
      "  PULSE_GATEWAY_TOKEN          service token callers send as \"Authorization: Bearer\" (from a Secret;",
      "                               unset: /v1 is open)",
      "  PULSE_LLM_BUDGET_PER_MINUTE  LLM calls per authenticated caller per minute (0 turns the LLM off)",
      "  PULSE_LLM_FOLD_SYSTEM_PROMPT true for base models without a system role (Gemma)",
      "  PULSE_QDRANT_HOST/PORT       Qdrant gRPC endpoint; PULSE_QDRANT_API_KEY from a Secret",
      "  PULSE_QDRANT_COLLECTION      the pipeline's collection",
      "  PULSE_EMBEDDING_MODEL        all-minilm-l6-v2 (fp32) or all-minilm-l6-v2-q (int8)",
      "  PULSE_GATEWAY_PORT           HTTP port (default 8090)");

  /**
   * The embedding model's tokenizer (DJL) unpacks a native library under ~/.djl.ai unless told
   * otherwise; in a pod with a read-only root file system only the /tmp volume is writable, where
   * ONNX Runtime unpacks its own library too.
   */
  static void nativeCacheInTmp() {
    if (isBlank(System.getProperty("DJL_CACHE_DIR")) && isBlank(System.getenv("DJL_CACHE_DIR"))) {
      System.setProperty("DJL_CACHE_DIR", Path.of(System.getProperty("java.io.tmpdir"), "djl").toString());
    }
  }

  private static boolean isBlank(String s) {
    return s == null || s.isBlank();
  }
}
