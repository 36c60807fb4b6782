package dev.pulse.e2e;

import java.util.concurrent.Callable;

/** A condition for Awaitility that counts an exception as "not yet" and prints each new reason once. */
final class Probe {

  private Probe() {}

  static Callable<Boolean> of(String what, Callable<Boolean> condition) {
    String[] last = {""};
    return () -> {
      try {
        return condition.call();
      } catch (Exception | AssertionError e) {
        String reason = e.getClass().getSimpleName() + ": " + e.getMessage();
        if (!reason.equals(last[0])) {
          System.out.println("[e2e] " + what + ": not yet (" + reason + ")");
          last[0] = reason;
        }
        return false;
      }
    };
  }
}
