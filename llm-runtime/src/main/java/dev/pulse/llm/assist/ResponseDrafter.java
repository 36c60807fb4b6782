package dev.pulse.llm.assist;

import dev.pulse.llm.model.DraftRequest;
import dev.pulse.llm.model.DraftResponse;
import dev.pulse.llm.model.EvidencePost;
import dev.pulse.llm.model.FallbackReason;
import dev.pulse.llm.llm.AnswerParsers;
import dev.pulse.llm.llm.AnswerParsers.Draft;
import dev.pulse.llm.llm.LlmOutcome;
import dev.pulse.llm.llm.OutputSchemas;
import dev.pulse.llm.prompt.PromptBuilder;
import dev.pulse.llm.rag.EmbeddingRetriever;
import dev.pulse.llm.rag.RetrievedContext;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

/** Drafts a brand reply grounded in the retrieved glossary and similar posts. */
public final class ResponseDrafter {
  static final String ENDPOINT = "draft";

  /** There is no honest reply without the LLM: the caller is told why, and nothing is invented. */
  public static final class DraftUnavailableException extends RuntimeException {
    private final FallbackReason reason;

    DraftUnavailableException(FallbackReason reason) {
      super("no draft: " + reason.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' '));
      this.reason = reason;
    }

    public FallbackReason reason() {
      return reason;
    }
  }

  private final BoundedLlm llm;
  private final EmbeddingRetriever retriever;
  private final PromptBuilder prompts;

  public ResponseDrafter(BoundedLlm llm, EmbeddingRetriever retriever, PromptBuilder prompts) {
    this.llm = llm;
    this.retriever = retriever;
    this.prompts = prompts;
  }

  public DraftResponse draft(DraftRequest request) {
    String subjectId;
    String queryText;
    String key;
    Object subject;
    if (request.post() != null) {
      subjectId = request.post().id();
      queryText = request.post().text();
      key = "post";
      subject = request.post().text();
    } else {
      DraftRequest.AlertRef alert = request.alert();
      subjectId = alert.id();
      String evidence =
          alert.evidence().stream().limit(5).map(EvidencePost::text).collect(Collectors.joining("\n"));
      queryText = alert.summary() == null || alert.summary().isBlank() ? evidence : alert.summary();
      key = "alert";
      Map<String, Object> data = new LinkedHashMap<>();
      data.put("summary", alert.summary() == null ? "" : alert.summary());
      data.put("evidence", alert.evidence().stream().limit(10).map(EvidencePost::text).toList());
      subject = data;
    }
    AtomicReference<RetrievedContext> used = new AtomicReference<>(RetrievedContext.EMPTY);
    LlmOutcome<Draft> outcome =
        llm.call(
            request.pipeline(),
            ENDPOINT,
            () -> {
              RetrievedContext context = retriever.contextFor(request.pipeline(), queryText);
              used.set(context);
              return prompts.draft(key, subject, context);
            },
            OutputSchemas.DRAFT,
            AnswerParsers::draft);
    if (!outcome.isOk()) {
      throw new DraftUnavailableException(outcome.fallback());
    }
    RetrievedContext context = used.get();
    return new DraftResponse(
        subjectId,
        outcome.value().reply(),
        outcome.value().tone(),
        context.glossary(),
        context.examples().size());
  }
}
