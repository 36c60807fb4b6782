package dev.pulse.llm.classify;

import dev.pulse.llm.model.FallbackReason;
import dev.pulse.llm.model.Sentiment;
import dev.pulse.llm.model.Source;

import static org.assertj.core.api.Assertions.assertThat;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.output.Response;
import dev.pulse.llm.model.PostClassification;
import dev.pulse.llm.model.PostIn;
import dev.pulse.llm.budget.LlmCallBudget;
import dev.pulse.llm.llm.LlmCaller;
import dev.pulse.llm.llm.LlmClient;
import dev.pulse.llm.metrics.GatewayMetrics;
import dev.pulse.llm.prompt.PromptBuilder;
import dev.pulse.llm.rag.Embedder;
import dev.pulse.llm.rag.EmbeddingRetriever;
import dev.pulse.llm.rag.RetrievedContext;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The batch's deadline and the executor's queue limit, with an in-memory LLM and no Spring. */
class ClassificationServiceTest {
  static final String ANSWER = "{\"label\": \"positive\", \"score\": 0.8, \"rationale\": \"Nice.\", \"crisis\": false}";

  /** Embeds nothing: these tests are about scheduling, not retrieval. */
  static final EmbeddingModel ZEROS =
      new EmbeddingModel() {
        @Override
        public Response<List<Embedding>> embedAll(List<TextSegment> segments) {
          return Response.from(segments.stream().map(s -> new Embedding(new float[384])).toList());
        }
      };

  final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  final GatewayMetrics metrics = new GatewayMetrics(registry);
  ThreadPoolExecutor executor;

  ClassificationService service(LlmClient client, int threads, int queue, Duration batchTimeout) {
    executor = new ThreadPoolExecutor(threads, threads, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(queue));
    LlmCallBudget budget = new LlmCallBudget(1000, System::nanoTime);
    return new ClassificationService(
        new LlmCaller(client, budget, metrics),
        budget,
        new EmbeddingRetriever(new Embedder(ZEROS), (pipeline, vector) -> RetrievedContext.EMPTY, metrics),
        new PromptBuilder("m", "m", 2000),
        executor,
        batchTimeout,
        metrics);
  }

  @AfterEach
  void stop() {
    executor.shutdownNow();
  }

  static PostIn post(String id, String text) {
    return new PostIn(id, text, Sentiment.NEGATIVE, -0.4);
  }

  @Test
  void postsUnfinishedAtTheBatchDeadlineFallBackAndTheRestAreKept() {
    LlmClient client =
        (prompt, format) -> {
          if (prompt.user().contains("stuck")) {
            try {
              Thread.sleep(5_000);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          }
          return ANSWER;
        };
    ClassificationService service = service(client, 4, 10, Duration.ofMillis(400));
    long start = System.nanoTime();
    List<PostClassification> results =
        service.classify("p", List.of(post("a", "fine"), post("b", "stuck"), post("c", "fine too")));

    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
    assertThat(results).extracting(PostClassification::id).containsExactly("a", "b", "c");
    assertThat(results).extracting(PostClassification::source).containsExactly(Source.LLM, Source.FALLBACK, Source.LLM);
    assertThat(results.get(1).fallbackReason()).isEqualTo(FallbackReason.TIMEOUT);
    assertThat(results.get(1).score()).isEqualTo(-0.4);
    assertThat(registry.get("pulse.gateway.fallbacks").tag("reason", "TIMEOUT").counter().count()).isEqualTo(1);
  }

  @Test
  void whenTheQueueIsFullPostsFallBackAsOverloaded() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    LlmClient client =
        (prompt, format) -> {
          try {
            release.await(5, TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          return ANSWER;
        };
    ClassificationService service = service(client, 1, 1, Duration.ofSeconds(5));
    Thread releaser = new Thread(() -> {
      try {
        Thread.sleep(300);
      } catch (InterruptedException e) {
        return;
      }
      release.countDown();
    });
    releaser.start();
    List<PostClassification> results =
        service.classify("p", List.of(post("a", "one"), post("b", "two"), post("c", "three"), post("d", "four")));

    // One running, one queued, the rest refused at once.
    assertThat(results).extracting(PostClassification::source)
        .containsExactly(Source.LLM, Source.LLM, Source.FALLBACK, Source.FALLBACK);
    assertThat(results.get(2).fallbackReason()).isEqualTo(FallbackReason.OVERLOADED);
    releaser.join();
  }
}
