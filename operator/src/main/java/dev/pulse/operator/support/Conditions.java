package dev.pulse.operator.support;

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

  /**
   * The conditions of {@code merged} whose status or reason differs from {@code previous}: each is one transition a
   * person should see as an Event. A changed message alone is not a transition (it would flood the Event stream
   * with, e.g., a replica count).
   */
  public static List<PulseCondition> transitions(List<PulseCondition> previous, List<PulseCondition> merged) {
    List<PulseCondition> changed = new ArrayList<>();
    for (PulseCondition condition : merged) {
      PulseCondition before = previous == null ? null : previous.stream()
          .filter(c -> c.getType().equals(condition.getType())).findFirst().orElse(null);
      if (before == null || !before.getStatus().equals(condition.getStatus())
          || !java.util.Objects.equals(before.getReason(), condition.getReason())) {
        changed.add(condition);
      }
    }
    return changed;
  }

  /**
   * Normal for a condition that holds or is on its way (reasons ending in Pending or Progressing, Suspended,
   * Training); Warning for anything a person has to act on.
   */
  public static String eventType(PulseCondition condition) {
    String reason = condition.getReason() == null ? "" : condition.getReason();
    boolean onItsWay = reason.endsWith("Pending") || reason.endsWith("Progressing") || reason.equals("Suspended")
        || reason.equals("Training");
    return condition.holds() || onItsWay ? "Normal" : "Warning";
  }

  /**
   * The Ready condition summarising {@code parts}: True with {@code readyMessage} when every part holds; otherwise
   * False with the reason and message of the part most worth reading: one a person must act on (a Warning) before
   * a deliberate pause (Suspended) before one that is only on its way, so one line of {@code kubectl get} says why.
   */
  public static PulseCondition ready(List<PulseCondition> parts, String readyMessage) {
    return parts.stream().filter(c -> !c.holds())
        .min(java.util.Comparator.comparingInt(Conditions::urgency))
        .map(c -> of("Ready", false, c.getReason(), c.getMessage()))
        .orElseGet(() -> of("Ready", true, "Ready", readyMessage));
  }

  private static int urgency(PulseCondition condition) {
    if ("Warning".equals(eventType(condition))) {
      return 0;
    }
    return "Suspended".equals(condition.getReason()) ? 1 : 2;
  }

  /** True when two statuses say the same thing, ignoring nothing: used to skip no-op status writes. */
  public static boolean sameConditions(PulseStatus a, PulseStatus b) {
    return a != null && b != null && a.getConditions().equals(b.getConditions());
  }
}
