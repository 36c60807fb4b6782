package dev.pulse.llm;

import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Unmatched;

/**
 * {@code ./pulse gateway}'s help and version. Everything else on the command line is Spring Boot's
 * ({@code --server.port=PORT}, any {@code --key=value}); settings come from the environment.
 */
@Command(name = "pulse gateway", mixinStandardHelpOptions = true, versionProvider = dev.pulse.cli.VersionProvider.class,
    usageHelpWidth = 110, customSynopsis = "pulse gateway [-hV] [--server.port=PORT] [--KEY=VALUE...]",
    description = {"Runs the LLM gateway: POST /v1/classify (batch escalation from the Spark job), /v1/alerts/explain,",
        "/v1/responses/draft; health and Prometheus metrics under /actuator. It starts without vLLM or Qdrant",
        "(posts then fall back to their light score, marked as such)."},
    footerHeading = "%nConfiguration (environment; llm-runtime/README.md lists every variable and its default):%n",
    footer = {
        "  PULSE_VLLM_BASE_URL          vLLM's OpenAI-compatible root, e.g. http://vllm:8000/v1",
        "  PULSE_LLM_MODEL              served name of the LoRA adapter",
        "  PULSE_GATEWAY_TOKEN          service token callers send as \"Authorization: Bearer\" (from a Secret;",
        "                               unset: /v1 is open)",
        "  PULSE_LLM_BUDGET_PER_MINUTE  LLM calls per authenticated caller per minute (0 turns the LLM off)",
        "  PULSE_LLM_FOLD_SYSTEM_PROMPT true for base models without a system role (Gemma)",
        "  PULSE_QDRANT_HOST/PORT       Qdrant gRPC endpoint; PULSE_QDRANT_API_KEY from a Secret",
        "  PULSE_QDRANT_COLLECTION      the pipeline's collection",
        "  PULSE_EMBEDDING_MODEL        all-minilm-l6-v2 (fp32) or all-minilm-l6-v2-q (int8)",
        "  PULSE_GATEWAY_PORT           HTTP port (default 8090)"})
final class GatewayCommand {
  @Unmatched List<String> springArguments;

  /** Answers --help or --version and returns true; false when the gateway is to run. */
  static boolean answeredHelp(String[] args) {
    CommandLine cl = new CommandLine(new GatewayCommand()).setUnmatchedOptionsArePositionalParams(true);
    return CommandLine.executeHelpRequest(cl.parseArgs(args)) != null;
  }
}
