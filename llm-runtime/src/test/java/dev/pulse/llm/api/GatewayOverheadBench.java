package dev.pulse.llm.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pulse.llm.GatewayTestSupport;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * What the gateway itself costs per post (embedding, two Qdrant searches, prompt, validation) when the
 * LLM answers at once: the vLLM stand-in has no model, so this is the gateway's ceiling, not vLLM's.
 * Run with {@code ./mvnw -pl llm-runtime test -Dtest=GatewayOverheadBench -Dpulse.bench=true}.
 */
@EnabledIfSystemProperty(named = "pulse.bench", matches = "true")
class GatewayOverheadBench extends GatewayTestSupport {

  @Test
  void postsPerSecond() throws Exception {
    int batches = 8;
    int size = BUDGET;
    run("bench-warmup", size);
    long embedStart = System.nanoTime();
    for (int i = 0; i < 200; i++) {
      embeddings.embed("Checkout failed again for order " + i + ", support is not answering");
    }
    double embedPerSec = 200 / ((System.nanoTime() - embedStart) / 1e9);
    long start = System.nanoTime();
    long worstMs = 0;
    for (int b = 0; b < batches; b++) {
      long t = System.nanoTime();
      run("bench-" + b, size);
      worstMs = Math.max(worstMs, (System.nanoTime() - t) / 1_000_000);
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    System.out.printf(
        "gateway overhead: %d batches of %d posts, %.0f posts/s, %.1f ms per batch on average, worst %d ms; embedding alone, one thread: %.0f posts/s; concurrency %d%n",
        batches, size, batches * size / seconds, seconds * 1000 / batches, worstMs, embedPerSec, CONCURRENCY);
  }

  private void run(String pipeline, int size) throws Exception {
    List<Map<String, Object>> posts =
        IntStream.range(0, size).mapToObj(i -> item(pipeline + "-" + i, "Post " + i + " about the checkout at " + pipeline)).toList();
    Response r = post("/v1/classify", batch(pipeline, posts));
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.json().get("results")).allSatisfy(n -> assertThat(n.get("source").asText()).isEqualTo("LLM"));
  }
}
