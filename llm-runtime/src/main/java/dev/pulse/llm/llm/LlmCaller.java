package dev.pulse.llm.llm;

import dev.langchain4j.model.chat.request.ResponseFormat;
import dev.pulse.llm.budget.Callers;
import dev.pulse.llm.budget.LlmCallBudget;
import dev.pulse.llm.model.FallbackReason;
import dev.pulse.llm.metrics.GatewayMetrics;
import dev.pulse.llm.prompt.Prompt;
import java.time.Duration;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one way the gateway asks the LLM: spend budget, call, validate, retry once, else say why not.
 *
 * <p>Every call (the retry too) is paid from the pipeline's budget before anything else happens, so
 * a pipeline over budget costs neither a Qdrant search nor a GPU slot. A timeout is not retried: the
 * server is saturated and a second call would only add to it.
 */
public final class LlmCaller {
  private static final Logger LOG = LoggerFactory.getLogger(LlmCaller.class);
  private static final int MAX_CALLS = 2;

  private final LlmClient client;
  private final LlmCallBudget budget;
  private final GatewayMetrics metrics;

  public LlmCaller(LlmClient client, LlmCallBudget budget, GatewayMetrics metrics) {
    this.client = client;
    this.budget = budget;
    this.metrics = metrics;
  }

  /**
   * @param prompt built only once the first call is paid for (building it means retrieval)
   */
  public <T> LlmOutcome<T> call(
      String pipeline,
      String endpoint,
      Supplier<Prompt> prompt,
      ResponseFormat format,
      Function<String, T> parse) {
    return call(Callers.current(), pipeline, endpoint, prompt, format, parse, false);
  }

  /**
   * @param budgetCaller whose budget pays: the authenticated caller, read on the request's thread
   * @param firstCallPaid the caller already took the first call from the budget (a batch does, in
   *     order, so that over budget it is the batch's last posts that fall back, at once)
   */
  public <T> LlmOutcome<T> call(
      String budgetCaller,
      String pipeline,
      String endpoint,
      Supplier<Prompt> prompt,
      ResponseFormat format,
      Function<String, T> parse,
      boolean firstCallPaid) {
    Prompt built = null;
    FallbackReason last = FallbackReason.BUDGET;
    for (int call = 1; call <= MAX_CALLS; call++) {
      boolean paid = call == 1 && firstCallPaid || budget.tryAcquire(budgetCaller);
      if (!paid) {
        last = FallbackReason.BUDGET;
        break;
      }
      if (built == null) {
        built = prompt.get();
      }
      long start = System.nanoTime();
      try {
        T value = parse.apply(client.complete(built, format));
        metrics.llmCall("ok", since(start));
        return LlmOutcome.ok(value);
      } catch (InvalidOutputException e) {
        metrics.llmCall("invalid_output", since(start));
        LOG.debug("pipeline {} {}: invalid LLM answer (call {}): {}", pipeline, endpoint, call, e.getMessage());
        last = FallbackReason.INVALID_OUTPUT;
      } catch (LlmCallException e) {
        LOG.debug("pipeline {} {}: LLM call {} failed: {}", pipeline, endpoint, call, e.getMessage());
        if (e.kind() == LlmCallException.Kind.TIMEOUT) {
          metrics.llmCall("timeout", since(start));
          last = FallbackReason.TIMEOUT;
          break;
        }
        metrics.llmCall("upstream_error", since(start));
        last = FallbackReason.UPSTREAM_ERROR;
      }
      if (Thread.currentThread().isInterrupted()) {
        // Cancelled at its request's deadline: the request reports the TIMEOUT, not this task.
        return LlmOutcome.fallback(FallbackReason.TIMEOUT);
      }
    }
    metrics.fellBack(pipeline, endpoint, last);
    return LlmOutcome.fallback(last);
  }

  private static Duration since(long startNanos) {
    return Duration.ofNanos(System.nanoTime() - startNanos);
  }
}
