package dev.pulse.llm.budget;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * A caller's budget of LLM calls per minute: a token bucket per authenticated caller ({@link Callers}) that holds at
 * most one minute's worth and refills continuously, so a burst may spend the whole minute at once but the average
 * never exceeds the budget. At most {@link #MAX_CALLERS} buckets exist: callers are the gateway's own principals, a
 * handful, so a new one past that is refused (its calls fall back) rather than let the map grow.
 */
public final class LlmCallBudget {
  private static final double NANOS_PER_MINUTE = 60e9;
  public static final int MAX_CALLERS = 64;

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

  /** Takes one call from the caller's budget; false when it is spent. */
  public boolean tryAcquire(String caller) {
    if (perMinute == 0) {
      return false;
    }
    Bucket bucket = buckets.get(caller);
    if (bucket == null) {
      synchronized (buckets) {
        if (buckets.size() >= MAX_CALLERS && !buckets.containsKey(caller)) {
          return false;
        }
        bucket = buckets.computeIfAbsent(caller, p -> new Bucket(perMinute, nanoClock.getAsLong()));
      }
    }
    return bucket.tryTake(nanoClock.getAsLong());
  }

  /** Forgets every bucket (a fresh one is full): the gateway's tests start each case with a whole budget. */
  public void clear() {
    buckets.clear();
  }

  /** How many callers have a bucket (at most {@link #MAX_CALLERS}). */
  public int callers() {
    return buckets.size();
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
