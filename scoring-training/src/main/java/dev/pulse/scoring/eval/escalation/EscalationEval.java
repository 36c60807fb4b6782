package dev.pulse.scoring.eval.escalation;

import dev.pulse.scoring.Score;
import dev.pulse.scoring.eval.LabelledPost;
import dev.pulse.testsupport.llm.GatewayProcess;
import dev.pulse.testsupport.llm.LlamaCppServer;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code ./pulse eval --escalate}: the posts whose light confidence is under the threshold go, in batches, through
 * the pipeline's own escalation path (the LLM gateway's /v1/classify: prompt, JSON schema, validation, retry,
 * fallback) to the real model, for the base model and for each LoRA adapter given. The engine is llama.cpp on CPU
 * (hack/llm/serve.sh, built and cached on first use) unless {@code --gateway} names a running gateway.
 */
public final class EscalationEval {
  private final double threshold;
  private final int batch;
  private final PrintWriter out;

  public EscalationEval(double threshold, int batch, PrintWriter out) {
    this.threshold = threshold;
    this.batch = batch;
    this.out = out;
  }

  /** Starts the engine (base model + adapters) and one gateway per evaluated model, and evaluates each. */
  public List<EscalationReport> runLocal(Path repo, Map<String, Path> adapters, boolean withBase,
      List<LabelledPost> posts, List<Score> light, double lightSeconds) throws IOException, InterruptedException {
    Path logs = Files.createTempDirectory("pulse-eval-llm-");
    say("starting llama.cpp (hack/llm/serve.sh: SmolLM2-135M-Instruct Q4_1 on CPU"
        + (adapters.isEmpty() ? "" : ", adapters " + adapters.keySet()) + "); logs in " + logs);
    List<EscalationReport> reports = new ArrayList<>();
    try (LlamaCppServer engine = LlamaCppServer.start(repo, adapters, logs, LlamaCppServer.FIRST_START)) {
      List<String> models = new ArrayList<>();
      if (withBase) models.add(LlamaCppServer.BASE_MODEL);
      models.addAll(adapters.keySet());
      for (String model : models) {
        String token = newToken();
        say("starting the LLM gateway (./pulse gateway) for model " + model);
        try (GatewayProcess gateway = GatewayProcess.start(repo, engine.baseUrl(), model, gatewaySettings(token), logs,
            Duration.ofMinutes(10))) {
          reports.add(evaluate(model, gateway.url(), token, posts, light, lightSeconds));
        }
      }
    }
    return reports;
  }

  /**
   * The environment of the gateway this command starts: generous timeouts for a CPU model, no budget to speak of,
   * and a service token as ./pulse local gives its gateway, so no other local process can use it while it runs.
   */
  static Map<String, String> gatewaySettings(String token) {
    Map<String, String> settings = new LinkedHashMap<>();
    settings.put("PULSE_LLM_TIMEOUT", "60s");
    settings.put("PULSE_LLM_BATCH_TIMEOUT", "900s");
    settings.put("PULSE_LLM_BUDGET_PER_MINUTE", "100000");
    settings.put("PULSE_GATEWAY_TOKEN", token);
    return settings;
  }

  /** A gateway token for one run: 32 SecureRandom bytes, URL-safe Base64 (43 characters); held only in memory. */
  static String newToken() {
    byte[] bytes = new byte[32];
    new SecureRandom().nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  /**
   * Evaluates the model a running gateway serves.
   *
   * @param token the gateway's service token (for --gateway: PULSE_GATEWAY_TOKEN of the caller); null sends none
   */
  public EscalationReport evaluate(String model, String gatewayUrl, String token, List<LabelledPost> posts,
      List<Score> light, double lightSeconds) throws IOException, InterruptedException {
    List<Integer> escalated = new ArrayList<>();
    for (int i = 0; i < posts.size(); i++) {
      if (light.get(i).confidence() < threshold) escalated.add(i);
    }
    GatewayClassifier gateway = new GatewayClassifier(gatewayUrl, "eval", Duration.ofMinutes(15), token);
    List<GatewayClassifier.Answer> answers = new ArrayList<>(escalated.size());
    long t0 = System.nanoTime();
    long lastSay = t0;
    for (int from = 0; from < escalated.size(); from += batch) {
      List<Integer> idx = escalated.subList(from, Math.min(escalated.size(), from + batch));
      answers.addAll(gateway.classify(idx.stream().map(i -> "p" + i).toList(),
          idx.stream().map(i -> posts.get(i).text()).toList(), idx.stream().map(light::get).toList()));
      if (System.nanoTime() - lastSay > 30e9) {
        lastSay = System.nanoTime();
        say(String.format("%s: %d of %d escalated posts answered", model, answers.size(), escalated.size()));
      }
    }
    double llmSeconds = (System.nanoTime() - t0) / 1e9;
    return EscalationReport.of(model, threshold, posts, light, escalated, answers, lightSeconds, llmSeconds);
  }

  private void say(String line) {
    out.println("escalate   " + line);
    out.flush();
  }
}
