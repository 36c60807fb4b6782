package dev.pulse.llm.config;

import dev.pulse.llm.settings.GatewayProperties;

import dev.langchain4j.model.chat.Capability;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.allminilml6v2.AllMiniLmL6V2EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;
import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.pulse.llm.assist.AlertExplainer;
import dev.pulse.llm.assist.BoundedLlm;
import dev.pulse.llm.assist.ResponseDrafter;
import dev.pulse.llm.budget.LlmCallBudget;
import dev.pulse.llm.classify.ClassificationService;
import dev.pulse.llm.llm.LlmCaller;
import dev.pulse.llm.llm.LlmClient;
import dev.pulse.llm.llm.OpenAiLlmClient;
import dev.pulse.llm.metrics.GatewayMetrics;
import dev.pulse.llm.prompt.PromptBuilder;
import dev.pulse.llm.rag.ContextRetriever;
import dev.pulse.llm.rag.Embedder;
import dev.pulse.llm.rag.EmbeddingRetriever;
import dev.pulse.llm.rag.QdrantContextRetriever;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.qdrant.client.QdrantClient;
import io.qdrant.client.QdrantGrpcClient;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Wires the gateway from {@link GatewayProperties}. */
@Configuration(proxyBeanMethods = false)
public class GatewayConfiguration {

  @Bean
  GatewayMetrics gatewayMetrics(MeterRegistry registry) {
    return new GatewayMetrics(registry);
  }

  @Bean
  ChatModel vllmChatModel(GatewayProperties properties) {
    GatewayProperties.Llm llm = properties.llm();
    return OpenAiChatModel.builder()
        .baseUrl(llm.baseUrl())
        .apiKey(llm.apiKey() == null || llm.apiKey().isBlank() ? "EMPTY" : llm.apiKey())
        .modelName(llm.model())
        .timeout(llm.timeout())
        .maxRetries(0)
        .temperature(0.0)
        .maxTokens(llm.maxTokens())
        .supportedCapabilities(Capability.RESPONSE_FORMAT_JSON_SCHEMA)
        .strictJsonSchema(true)
        .build();
  }

  @Bean
  LlmClient llmClient(ChatModel vllmChatModel, GatewayProperties properties) {
    return new OpenAiLlmClient(vllmChatModel, properties.llm().foldSystemPrompt());
  }

  @Bean
  LlmCallBudget llmCallBudget(GatewayProperties properties) {
    return new LlmCallBudget(properties.llm().budgetPerMinute(), System::nanoTime);
  }

  @Bean
  LlmCaller llmCaller(LlmClient client, LlmCallBudget budget, GatewayMetrics metrics) {
    return new LlmCaller(client, budget, metrics);
  }

  /** The concurrency limit: at most maxConcurrency LLM calls run, queueCapacity wait, more fall back. */
  @Bean(destroyMethod = "shutdownNow")
  ExecutorService llmExecutor(GatewayProperties properties, MeterRegistry registry) {
    int threads = properties.llm().maxConcurrency();
    if (threads < 1) {
      throw new IllegalArgumentException("PULSE_LLM_MAX_CONCURRENCY must be >= 1, was " + threads);
    }
    ThreadPoolExecutor executor =
        new ThreadPoolExecutor(
            threads,
            threads,
            0,
            TimeUnit.MILLISECONDS,
            new ArrayBlockingQueue<>(Math.max(1, properties.llm().queueCapacity())),
            namedThreads("llm-call-"),
            new ThreadPoolExecutor.AbortPolicy());
    Gauge.builder("pulse.gateway.llm.in.flight", executor, ThreadPoolExecutor::getActiveCount)
        .description("LLM calls (with their retrieval) running now")
        .register(registry);
    Gauge.builder("pulse.gateway.llm.queued", executor, e -> e.getQueue().size())
        .description("LLM calls waiting for a slot")
        .register(registry);
    return executor;
  }

  @Bean(destroyMethod = "close")
  QdrantClient qdrantClient(GatewayProperties properties) {
    GatewayProperties.Qdrant q = properties.qdrant();
    // No version check at start: the gateway must come up (and fall back) while Qdrant is away.
    QdrantGrpcClient.Builder grpc = QdrantGrpcClient.newBuilder(q.host(), q.port(), q.useTls(), false);
    if (q.apiKey() != null && !q.apiKey().isBlank()) {
      grpc.withApiKey(q.apiKey());
    }
    return new QdrantClient(grpc.withTimeout(q.timeout()).build());
  }

  @Bean
  ContextRetriever contextRetriever(QdrantClient client, GatewayProperties properties, GatewayMetrics metrics) {
    GatewayProperties.Qdrant q = properties.qdrant();
    GatewayProperties.Rag rag = properties.rag();
    return new QdrantContextRetriever(client, q.collection(), rag.examples(), rag.glossary(), q.timeout(), metrics);
  }

  /**
   * all-MiniLM-L6-v2 in-process through ONNX. Queries must be embedded by the model that embedded the
   * stored points: PULSE_EMBEDDING_MODEL picks fp32 or the int8 variant.
   */
  @Bean
  EmbeddingModel embeddingModel(GatewayProperties properties) {
    String name = properties.rag().embeddingModel();
    return switch (name) {
      case "all-minilm-l6-v2" -> new AllMiniLmL6V2EmbeddingModel();
      case "all-minilm-l6-v2-q" -> new AllMiniLmL6V2QuantizedEmbeddingModel();
      default -> throw new IllegalArgumentException(
          "PULSE_EMBEDDING_MODEL must be all-minilm-l6-v2 or all-minilm-l6-v2-q, was '" + name + "'");
    };
  }

  @Bean
  EmbeddingRetriever embeddingRetriever(EmbeddingModel model, ContextRetriever retriever, GatewayMetrics metrics) {
    return new EmbeddingRetriever(new Embedder(model), retriever, metrics);
  }

  @Bean
  PromptBuilder promptBuilder(GatewayProperties properties) {
    return new PromptBuilder(properties.llm().model(), properties.llm().assistModel(), properties.llm().maxPostChars());
  }

  @Bean
  ClassificationService classificationService(
      LlmCaller caller,
      LlmCallBudget budget,
      EmbeddingRetriever retriever,
      PromptBuilder prompts,
      ExecutorService llmExecutor,
      GatewayProperties properties,
      GatewayMetrics metrics) {
    return new ClassificationService(
        caller, budget, retriever, prompts, llmExecutor, properties.llm().batchTimeout(), metrics);
  }

  /** Explain and draft wait for one call plus its retry. */
  @Bean
  BoundedLlm boundedLlm(
      LlmCaller caller, ExecutorService llmExecutor, GatewayProperties properties, GatewayMetrics metrics) {
    Duration deadline = properties.llm().timeout().multipliedBy(2).plus(properties.qdrant().timeout()).plusSeconds(1);
    return new BoundedLlm(caller, llmExecutor, deadline, metrics);
  }

  @Bean
  AlertExplainer alertExplainer(BoundedLlm llm, PromptBuilder prompts) {
    return new AlertExplainer(llm, prompts);
  }

  @Bean
  ResponseDrafter responseDrafter(BoundedLlm llm, EmbeddingRetriever retriever, PromptBuilder prompts) {
    return new ResponseDrafter(llm, retriever, prompts);
  }

  private static ThreadFactory namedThreads(String prefix) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, prefix + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }
}
