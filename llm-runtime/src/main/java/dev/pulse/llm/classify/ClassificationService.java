package dev.pulse.llm.classify;

import dev.pulse.llm.model.FallbackReason;
import dev.pulse.llm.model.Source;

import dev.pulse.llm.model.PostClassification;
import dev.pulse.llm.model.PostIn;
import dev.pulse.llm.budget.Callers;
import dev.pulse.llm.budget.LlmCallBudget;
import dev.pulse.llm.llm.AnswerParsers;
import dev.pulse.llm.llm.LlmCaller;
import dev.pulse.llm.llm.LlmOutcome;
import dev.pulse.llm.llm.OutputSchemas;
import dev.pulse.llm.llm.Verdict;
import dev.pulse.llm.metrics.GatewayMetrics;
import dev.pulse.llm.prompt.PromptBuilder;
import dev.pulse.llm.rag.EmbeddingRetriever;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Classifies a batch: the budget is spent in the batch's order, then each post goes to the bounded LLM
 * executor (embed, retrieve, prompt, call,
 * validate), results collected in the batch's order. No post is lost: whatever goes wrong for one
 * post, its light score stands for it, marked FALLBACK with the reason.
 */
public final class ClassificationService {
  static final String ENDPOINT = "classify";
  /** The request header with how long the caller still waits for the answer, in milliseconds. */
  public static final String DEADLINE_HEADER = dev.pulse.contract.GatewayHeaders.DEADLINE_MS;
  static final Duration MIN_MARGIN = Duration.ofMillis(50);

  private final LlmCaller caller;
  private final LlmCallBudget budget;
  private final EmbeddingRetriever retriever;
  private final PromptBuilder prompts;
  private final ExecutorService llmExecutor;
  private final Duration batchTimeout;
  private final GatewayMetrics metrics;

  public ClassificationService(
      LlmCaller caller,
      LlmCallBudget budget,
      EmbeddingRetriever retriever,
      PromptBuilder prompts,
      ExecutorService llmExecutor,
      Duration batchTimeout,
      GatewayMetrics metrics) {
    this.caller = caller;
    this.budget = budget;
    this.retriever = retriever;
    this.prompts = prompts;
    this.llmExecutor = llmExecutor;
    this.batchTimeout = batchTimeout;
    this.metrics = metrics;
  }

  public List<PostClassification> classify(String pipeline, List<PostIn> posts) {
    return classify(pipeline, posts, null);
  }

  /**
   * @param callerWaits how long the caller still waits for the answer ({@value #DEADLINE_HEADER}), or null: the batch
   *     ends before then, so no work goes on for a caller that has given up (nor budget is spent on it)
   */
  public List<PostClassification> classify(String pipeline, List<PostIn> posts, Duration callerWaits) {
    long deadline = System.nanoTime() + deadline(callerWaits).toNanos();
    List<Future<PostClassification>> pending = new ArrayList<>(posts.size());
    // The budget is the authenticated caller's, never the pipeline name in the body (anyone could pick a fresh one).
    String budgetCaller = Callers.current();
    for (PostIn post : posts) {
      pending.add(submit(budgetCaller, pipeline, post, deadline));
    }
    List<PostClassification> results = new ArrayList<>(posts.size());
    for (int i = 0; i < posts.size(); i++) {
      PostClassification result = await(pipeline, posts.get(i), pending.get(i), deadline);
      metrics.classified(pipeline, result.source());
      results.add(result);
    }
    return results;
  }

  /**
   * The batch's time: the configured batch timeout, or less when the caller waits less, minus a margin (a tenth of
   * its wait, at least {@link #MIN_MARGIN}) so that the answer is back before it gives up.
   */
  Duration deadline(Duration callerWaits) {
    if (callerWaits == null || callerWaits.isNegative()) {
      return batchTimeout;
    }
    Duration margin = callerWaits.dividedBy(10);
    Duration inTime = callerWaits.minus(margin.compareTo(MIN_MARGIN) < 0 ? MIN_MARGIN : margin);
    Duration bounded = inTime.isNegative() ? Duration.ZERO : inTime;
    return bounded.compareTo(batchTimeout) < 0 ? bounded : batchTimeout;
  }

  private Future<PostClassification> submit(String budgetCaller, String pipeline, PostIn post, long deadline) {
    if (System.nanoTime() >= deadline) { // the caller has given up: no budget for it
      metrics.fellBack(pipeline, ENDPOINT, FallbackReason.TIMEOUT);
      return CompletableFuture.completedFuture(LightScoreFallback.of(post, FallbackReason.TIMEOUT));
    }
    if (!budget.tryAcquire(budgetCaller)) {
      metrics.fellBack(pipeline, ENDPOINT, FallbackReason.BUDGET);
      return CompletableFuture.completedFuture(LightScoreFallback.of(post, FallbackReason.BUDGET));
    }
    try {
      return llmExecutor.submit(() -> System.nanoTime() >= deadline
          // Its turn came after the deadline (a cancelled task never starts; this one was about to): no LLM call.
          ? LightScoreFallback.of(post, FallbackReason.TIMEOUT)
          : classifyOne(budgetCaller, pipeline, post));
    } catch (RejectedExecutionException e) {
      metrics.fellBack(pipeline, ENDPOINT, FallbackReason.OVERLOADED);
      return CompletableFuture.completedFuture(LightScoreFallback.of(post, FallbackReason.OVERLOADED));
    }
  }

  private PostClassification await(
      String pipeline, PostIn post, Future<PostClassification> future, long deadline) {
    try {
      return future.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      future.cancel(true);
      metrics.fellBack(pipeline, ENDPOINT, FallbackReason.TIMEOUT);
      return LightScoreFallback.of(post, FallbackReason.TIMEOUT);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      future.cancel(true);
      return LightScoreFallback.of(post, FallbackReason.TIMEOUT);
    } catch (ExecutionException e) {
      metrics.fellBack(pipeline, ENDPOINT, FallbackReason.UPSTREAM_ERROR);
      return LightScoreFallback.of(post, FallbackReason.UPSTREAM_ERROR);
    }
  }

  PostClassification classifyOne(String budgetCaller, String pipeline, PostIn post) {
    LlmOutcome<Verdict> outcome =
        caller.call(
            budgetCaller,
            pipeline,
            ENDPOINT,
            () -> prompts.classify(post.text(), retriever.contextFor(pipeline, post.text())),
            OutputSchemas.CLASSIFICATION,
            AnswerParsers::verdict,
            true);
    if (!outcome.isOk()) {
      return LightScoreFallback.of(post, outcome.fallback());
    }
    Verdict v = outcome.value();
    return new PostClassification(
        post.id(), v.label(), v.polarity(), v.confidence(), v.rationale(), v.crisis(), Source.LLM, null);
  }
}
