package dev.pulse.llm.assist;

import dev.pulse.llm.budget.Callers;

import dev.langchain4j.model.chat.request.ResponseFormat;
import dev.pulse.llm.model.FallbackReason;
import dev.pulse.llm.llm.LlmCaller;
import dev.pulse.llm.llm.LlmOutcome;
import dev.pulse.llm.metrics.GatewayMetrics;
import dev.pulse.llm.prompt.Prompt;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * A single LLM call from a request thread, run on the same bounded executor as the classify batches
 * so that the concurrency limit holds for every endpoint together.
 */
public final class BoundedLlm {
  private final LlmCaller caller;
  private final ExecutorService llmExecutor;
  private final Duration deadline;
  private final GatewayMetrics metrics;

  public BoundedLlm(LlmCaller caller, ExecutorService llmExecutor, Duration deadline, GatewayMetrics metrics) {
    this.caller = caller;
    this.llmExecutor = llmExecutor;
    this.deadline = deadline;
    this.metrics = metrics;
  }

  public <T> LlmOutcome<T> call(
      String pipeline,
      String endpoint,
      Supplier<Prompt> prompt,
      ResponseFormat format,
      Function<String, T> parse) {
    Future<LlmOutcome<T>> future;
    String budgetCaller = Callers.current(); // on the request's thread, where the authentication is
    try {
      future = llmExecutor.submit(
          () -> caller.call(budgetCaller, pipeline, endpoint, prompt, format, parse, false));
    } catch (RejectedExecutionException e) {
      metrics.fellBack(pipeline, endpoint, FallbackReason.OVERLOADED);
      return LlmOutcome.fallback(FallbackReason.OVERLOADED);
    }
    try {
      return future.get(deadline.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      future.cancel(true);
      metrics.fellBack(pipeline, endpoint, FallbackReason.TIMEOUT);
      return LlmOutcome.fallback(FallbackReason.TIMEOUT);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      future.cancel(true);
      return LlmOutcome.fallback(FallbackReason.TIMEOUT);
    } catch (ExecutionException e) {
      metrics.fellBack(pipeline, endpoint, FallbackReason.UPSTREAM_ERROR);
      return LlmOutcome.fallback(FallbackReason.UPSTREAM_ERROR);
    }
  }
}
