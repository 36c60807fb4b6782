package dev.pulse.llm.classify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pulse.llm.budget.LlmCallBudget;
import dev.pulse.llm.llm.LlmCaller;
import dev.pulse.llm.llm.LlmClient;
import dev.pulse.llm.metrics.GatewayMetrics;
import dev.pulse.llm.model.PostIn;
import dev.pulse.llm.prompt.PromptBuilder;
import dev.pulse.llm.rag.Embedder;
import dev.pulse.llm.rag.EmbeddingRetriever;
import dev.pulse.llm.rag.RetrievedContext;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import dev.pulse.llm.model.FallbackReason;
import dev.pulse.llm.model.PostClassification;
import dev.pulse.llm.model.Source;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The batch deadline follows the caller: a caller that waits 1 s (Pulse-Deadline-Ms) gets its answer within that,
 * with the posts not classified by then on their light score (TIMEOUT), although the gateway's own batch timeout is
 * 30 s; and no LLM call is started for it once its time is over, so a caller that has given up spends no LLM time.
 */
class CallerDeadlineTest {
  private static final String ANSWER = ClassificationServiceTest.ANSWER;
  private final MeterRegistry registry = new SimpleMeterRegistry();
  private final GatewayMetrics metrics = new GatewayMetrics(registry);
  private ThreadPoolExecutor executor;

  private ClassificationService service(LlmClient client, int threads, int queue, Duration batchTimeout) {
    executor = new ThreadPoolExecutor(threads, threads, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(queue));
    LlmCallBudget budget = new LlmCallBudget(1000, System::nanoTime);
    return new ClassificationService(new LlmCaller(client, budget, metrics), budget,
        new EmbeddingRetriever(new Embedder(ClassificationServiceTest.ZEROS), (pipeline, vector) -> RetrievedContext.EMPTY,
            metrics),
        new PromptBuilder("m", "m", 2000), executor, batchTimeout, metrics);
  }

  @AfterEach
  void stop() {
    executor.shutdownNow();
  }

  private static PostIn post(String id, String text) {
    return ClassificationServiceTest.post(id, text);
  }

  @Test
  void aBatchEndsBeforeTheCallerGivesUpAndStartsNoCallAfterwards() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    LlmClient slow = (prompt, format) -> {
      calls.incrementAndGet();
      try {
        Thread.sleep(400);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return ANSWER;
    };
    // One LLM slot: 10 posts take 4 s; the caller waits 1 s; the gateway's own batch timeout would allow 30 s.
    ClassificationService service = service(slow, 1, 64, Duration.ofSeconds(30));
    List<PostIn> posts = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      posts.add(post("p" + i, "post " + i));
    }
    long start = System.nanoTime();
    List<PostClassification> results = service.classify("p", posts, Duration.ofSeconds(1));
    Duration took = Duration.ofNanos(System.nanoTime() - start);

    assertThat(took).as("answered before the caller's 1 s").isLessThan(Duration.ofMillis(1000));
    assertThat(results).extracting(PostClassification::id).containsExactly("p0", "p1", "p2", "p3", "p4", "p5", "p6",
        "p7", "p8", "p9");
    assertThat(results.get(0).source()).isEqualTo(Source.LLM);
    assertThat(results.get(9).source()).isEqualTo(Source.FALLBACK);
    assertThat(results.get(9).fallbackReason()).isEqualTo(FallbackReason.TIMEOUT);
    int atAnswer = calls.get();
    Thread.sleep(1_500);
    assertThat(calls.get()).as("LLM calls started after the answer").isLessThanOrEqualTo(atAnswer);
    assertThat(atAnswer).as("LLM calls for the batch").isLessThanOrEqualTo(3);
  }

  @Test
  void withoutACallerDeadlineTheConfiguredBatchTimeoutHolds() {
    ClassificationService service = service((prompt, format) -> ANSWER, 1, 8, Duration.ofMillis(700));
    assertThat(service.deadline(null)).isEqualTo(Duration.ofMillis(700));
    assertThat(service.deadline(Duration.ofSeconds(2))).isEqualTo(Duration.ofMillis(700));
    assertThat(service.deadline(Duration.ofMillis(500))).isEqualTo(Duration.ofMillis(450));
    assertThat(service.deadline(Duration.ofMillis(20))).isEqualTo(Duration.ZERO);
  }
}
