package dev.pulse.cli;

import java.util.List;

/**
 * One {@code ./pulse} command, declared once: its words ({@code "local"}, {@code "bench scorer"}), who runs it, and the
 * line the root's usage shows. Its options are the running module's own ({@code ./pulse <words> --help}).
 *
 * @param words the command's words after {@code pulse}
 * @param runner how the launcher starts it
 * @param module the Maven module (a folder of the repository) that holds it; empty for {@link Runner#SCRIPT} and
 *     {@link Runner#MAVEN_VERIFY}
 * @param target the main class, or for a script its path in the repository
 * @param description what the root's usage says of it
 */
public record Subcommand(String words, Runner runner, String module, String target, String description) {

  public List<String> wordList() {
    return List.of(words.split(" "));
  }

  /** The last word: its name under its parent ({@code scorer} under {@code bench}). */
  public String name() {
    List<String> w = wordList();
    return w.get(w.size() - 1);
  }

  /** The words before the name ({@code "bench"}), empty for a top-level command. */
  public String parent() {
    int space = words.lastIndexOf(' ');
    return space < 0 ? "" : words.substring(0, space);
  }

  /** Does this command line start with this command's words? */
  boolean matches(List<String> args) {
    List<String> w = wordList();
    return args.size() >= w.size() && args.subList(0, w.size()).equals(w);
  }
}
