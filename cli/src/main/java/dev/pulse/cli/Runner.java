package dev.pulse.cli;

/** How the launcher runs a declared command. */
public enum Runner {
  /** {@code java -cp <the module's runtime classpath> MAIN <the whole command line>}: the module's own picocli root. */
  JAVA,
  /**
   * {@code java -cp <the module's runtime classpath> MAIN <what follows the command's words>}: a main that is one
   * command (picocli with options only, no subcommands), so no main has to drop the launcher's words itself.
   */
  JAVA_OPTIONS,
  /** The main class on the module's test classpath through Maven: it needs the test harness (the operator bench). */
  MAVEN_TEST_CLASSPATH,
  /** {@code ./mvnw verify} with what follows the command's words. */
  MAVEN_VERIFY,
  /** A script of the repository (the target) with what follows the command's words. */
  SCRIPT
}
