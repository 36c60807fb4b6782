package dev.pulse.cli;

import java.util.List;

/**
 * What the launcher asks first: for a declared command it prints one line, the plan
 * {@code pulse-launch RUNNER WORDS MODULE TARGET} (WORDS: how many words the command has; MODULE and TARGET are "-"
 * where none), and the launcher runs it; anything else (usage, --help, --version, completion, an unknown command) the
 * root answers itself.
 */
public final class Launch {
  public static final String PLAN = "pulse-launch";

  private Launch() {}

  public static void main(String[] args) {
    Subcommand s = Commands.find(List.of(args));
    if (s != null) {
      System.out.println(plan(s));
      return;
    }
    System.exit(PulseCommand.commandLine().execute(args));
  }

  static String plan(Subcommand s) {
    return String.join(" ", PLAN, s.runner().name(), String.valueOf(s.wordList().size()), orDash(s.module()),
        orDash(s.target()));
  }

  private static String orDash(String s) {
    return s.isEmpty() ? "-" : s;
  }
}
