package dev.pulse.operator.reconcile;

import dev.pulse.crd.common.PulseCondition;
import dev.pulse.crd.common.PulseStatus;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * Merges freshly computed conditions into a status the way Kubernetes expects: lastTransitionTime moves
 * only when a condition's status flips, so a resync that finds nothing new produces an identical status
 * (and therefore no write).
 */
public final class Conditions {

  private Conditions() {}

  public static PulseCondition of(String type, boolean ok, String reason, String message) {
    return new PulseCondition(type, ok ? "True" : "False", reason, message);
  }

  public static PulseCondition unknown(String type, String reason, String message) {
    return new PulseCondition(type, "Unknown", reason, message);
  }

  /** Returns the merged list; the input status is not modified. */
  public static List<PulseCondition> merge(List<PulseCondition> previous, List<PulseCondition> next,
      long generation, Clock clock) {
    String now = Instant.now(clock).truncatedTo(ChronoUnit.SECONDS).toString();
    List<PulseCondition> merged = new ArrayList<>();
    for (PulseCondition condition : next) {
      PulseCondition copy = new PulseCondition(condition.getType(), condition.getStatus(), condition.getReason(),
          condition.getMessage());
      copy.setObservedGeneration(generation);
      PulseCondition before = previous == null ? null : previous.stream()
          .filter(c -> c.getType().equals(condition.getType())).findFirst().orElse(null);
      boolean flipped = before == null || !before.getStatus().equals(condition.getStatus());
      copy.setLastTransitionTime(flipped || before.getLastTransitionTime() == null ? now : before.getLastTransitionTime());
      merged.add(copy);
    }
    return merged;
  }

  /** True when two statuses say the same thing, ignoring nothing: used to skip no-op status writes. */
  public static boolean sameConditions(PulseStatus a, PulseStatus b) {
    return a != null && b != null && a.getConditions().equals(b.getConditions());
  }
}
