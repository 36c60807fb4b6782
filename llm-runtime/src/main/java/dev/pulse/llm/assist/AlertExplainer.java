package dev.pulse.llm.assist;

import dev.pulse.llm.model.AlertExplanation;
import dev.pulse.llm.model.EvidencePost;
import dev.pulse.llm.model.ExplainRequest;
import dev.pulse.llm.model.Source;
import dev.pulse.llm.llm.AnswerParsers;
import dev.pulse.llm.llm.AnswerParsers.Explanation;
import dev.pulse.llm.llm.LlmOutcome;
import dev.pulse.llm.llm.OutputSchemas;
import dev.pulse.llm.prompt.PromptBuilder;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Explains an alert from its evidence posts; without the LLM, counts what the evidence shows. */
public final class AlertExplainer {
  static final String ENDPOINT = "explain";

  private final BoundedLlm llm;
  private final PromptBuilder prompts;

  public AlertExplainer(BoundedLlm llm, PromptBuilder prompts) {
    this.llm = llm;
    this.prompts = prompts;
  }

  public AlertExplanation explain(ExplainRequest request) {
    Map<String, Object> alert = new LinkedHashMap<>();
    alert.put("id", request.alertId());
    alert.put("trigger", request.trigger() == null ? "" : request.trigger());
    List<Map<String, Object>> evidence = request.evidence().stream().map(AlertExplainer::asData).toList();
    LlmOutcome<Explanation> outcome =
        llm.call(
            request.pipeline(),
            ENDPOINT,
            () -> prompts.explain(alert, evidence),
            OutputSchemas.EXPLANATION,
            AnswerParsers::explanation);
    List<String> ids = request.evidence().stream().map(EvidencePost::id).toList();
    if (outcome.isOk()) {
      return new AlertExplanation(
          request.alertId(), outcome.value().summary(), outcome.value().drivers(), ids, Source.LLM, null);
    }
    return new AlertExplanation(
        request.alertId(),
        EvidenceSummary.summary(request.evidence()),
        EvidenceSummary.topTerms(request.evidence(), 5),
        ids,
        Source.FALLBACK,
        outcome.fallback());
  }

  private static Map<String, Object> asData(EvidencePost p) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("text", p.text());
    m.put("label", p.label().wireName());
    if (p.score() != null) {
      m.put("score", p.score());
    }
    return m;
  }
}
