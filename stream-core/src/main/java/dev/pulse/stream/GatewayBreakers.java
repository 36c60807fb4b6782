package dev.pulse.stream;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One circuit breaker per LLM gateway and JVM (the local run's loop, each Spark executor): when at least half of the
 * last 10 calls failed (timeout, refused, HTTP error, unreadable answer; at least 4 calls seen), the calls stop for
 * {@link #OPEN_FOR} and the posts keep their light score at once; then one trial call decides whether to close it.
 * Not in the serialized {@link LlmEscalator}: a breaker is this JVM's view of the gateway.
 */
final class GatewayBreakers {
  static final Duration OPEN_FOR = Duration.ofSeconds(15);
  private static final CircuitBreakerConfig CONFIG = CircuitBreakerConfig.custom()
      .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
      .slidingWindowSize(10)
      .minimumNumberOfCalls(4)
      .failureRateThreshold(50)
      .waitDurationInOpenState(OPEN_FOR)
      .permittedNumberOfCallsInHalfOpenState(1)
      .build();
  private static final Map<URI, CircuitBreaker> BREAKERS = new ConcurrentHashMap<>();

  private GatewayBreakers() {}

  static CircuitBreaker of(URI gateway) {
    return BREAKERS.computeIfAbsent(gateway, g -> CircuitBreaker.of("llm-gateway " + g, CONFIG));
  }
}
