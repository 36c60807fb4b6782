package dev.pulse.llm.budget;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class LlmCallBudgetTest {
  final AtomicLong now = new AtomicLong(1_000);
  final LlmCallBudget budget = new LlmCallBudget(6, now::get);

  private int taken(String pipeline, int tries) {
    int n = 0;
    for (int i = 0; i < tries; i++) {
      n += budget.tryAcquire(pipeline) ? 1 : 0;
    }
    return n;
  }

  @Test
  void aBurstMaySpendOneMinuteAndNoMore() {
    assertThat(taken("a", 10)).isEqualTo(6);
  }

  @Test
  void refillsAtTheBudgetRate() {
    taken("a", 6);
    now.addAndGet(9_999_000_000L); // just under 10 s: one call's worth is 10 s at 6/min
    assertThat(budget.tryAcquire("a")).isFalse();
    now.addAndGet(2_000_000L);
    assertThat(budget.tryAcquire("a")).isTrue();
    now.addAndGet(3_600_000_000_000L); // an hour later the bucket holds one minute, not sixty
    assertThat(taken("a", 10)).isEqualTo(6);
  }

  @Test
  void pipelinesHaveSeparateBudgets() {
    taken("a", 6);
    assertThat(taken("b", 10)).isEqualTo(6);
  }

  @Test
  void zeroTurnsTheLlmOffAndNegativeIsRefused() {
    assertThat(new LlmCallBudget(0, now::get).tryAcquire("a")).isFalse();
    assertThatThrownBy(() -> new LlmCallBudget(-1, now::get)).hasMessageContaining("PULSE_LLM_BUDGET_PER_MINUTE");
  }
}
