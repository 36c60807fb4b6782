package dev.pulse.llm.budget;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * A pipeline's budget of LLM calls per minute: a token bucket per pipeline that holds at most one
 * minute's worth and refills continuously, so a burst may spend the whole minute at once but the
 * average never exceeds the budget.
 */
public final class LlmCallBudget {
  private static final double NANOS_PER_MINUTE = 60e9;

  private final int perMinute;
  private final LongSupplier nanoClock;
  private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

  public LlmCallBudget(int perMinute, LongSupplier nanoClock) {
    if (perMinute < 0) {
      throw new IllegalArgumentException("PULSE_LLM_BUDGET_PER_MINUTE must be >= 0, was " + perMinute);
    }
    this.perMinute = perMinute;
    this.nanoClock = nanoClock;
  }

  /** Takes one call from the pipeline's budget; false when it is spent. */
  public boolean tryAcquire(String pipeline) {
    if (perMinute == 0) {
      return false;
    }
    return buckets.computeIfAbsent(pipeline, p -> new Bucket(perMinute, nanoClock.getAsLong()))
        .tryTake(nanoClock.getAsLong());
  }

  private static final class Bucket {
    private final double capacity;
    private double tokens;
    private long lastRefill;

    Bucket(int capacity, long now) {
      this.capacity = capacity;
      this.tokens = capacity;
      this.lastRefill = now;
    }

    synchronized boolean tryTake(long now) {
      long elapsed = Math.max(0, now - lastRefill);
      tokens = Math.min(capacity, tokens + elapsed * capacity / NANOS_PER_MINUTE);
      lastRefill = now;
      if (tokens < 1) {
        return false;
      }
      tokens -= 1;
      return true;
    }
  }
}
