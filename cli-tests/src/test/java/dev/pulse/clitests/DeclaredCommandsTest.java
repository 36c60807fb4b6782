package dev.pulse.clitests;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pulse.cli.Commands;
import dev.pulse.cli.Runner;
import dev.pulse.cli.Subcommand;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every declared {@code ./pulse} command exists where the root command says: a JAVA command's main class is in its
 * module's build and answers {@code <words> --help} with {@code Usage: pulse <words>} when run as the launcher runs it
 * (its module's classes and runtime classpath.txt only, in a JVM of its own); the others' class or script is there.
 */
class DeclaredCommandsTest {
  private static final Path ROOT = Path.of(System.getProperty("pulse.repo.root", "..")).toAbsolutePath().normalize();

  static Stream<Subcommand> declared() {
    return Commands.ALL.stream();
  }

  @ParameterizedTest(name = "pulse {0}")
  @MethodSource("declared")
  void existsAndAnswersHelp(Subcommand s) throws Exception {
    switch (s.runner()) {
      case JAVA, JAVA_OPTIONS -> {
        Path classes = ROOT.resolve(s.module()).resolve("target/classes");
        assertThat(classes.resolve(s.target().replace('.', '/') + ".class")).as(s.words()).isRegularFile();
        String classpath = classes + java.io.File.pathSeparator
            + Files.readString(ROOT.resolve(s.module()).resolve("target/classpath.txt")).trim();
        List<String> command = new ArrayList<>(List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp", classpath, s.target()));
        if (s.runner() == Runner.JAVA) {
          command.addAll(s.wordList()); // a module root with subcommands gets the whole command line
        }
        command.add("--help");
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(2, TimeUnit.MINUTES)).as(s.words()).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        assertThat(out).as(s.words()).startsWith("Usage: pulse " + s.words());
      }
      case MAVEN_TEST_CLASSPATH -> assertThat(ROOT.resolve(s.module())
          .resolve("target/test-classes/" + s.target().replace('.', '/') + ".class")).as(s.words()).isRegularFile();
      case SCRIPT -> assertThat(Files.isExecutable(ROOT.resolve(s.target()))).as(s.target()).isTrue();
      case MAVEN_VERIFY -> assertThat(Files.isExecutable(ROOT.resolve("mvnw"))).isTrue();
    }
  }
}
