package dev.pulse.e2e;

import dev.pulse.testing.K8sBinaries;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs the project's scripts and the real CLIs (kubectl, helm); output is captured and echoed to the test log. */
final class Commands {

  record Result(int exitCode, String output) {
    Result orThrow(List<String> command) {
      if (exitCode != 0) {
        throw new IllegalStateException(String.join(" ", command) + " exited " + exitCode + ":\n" + output);
      }
      return this;
    }

    /** The last non-empty line: the scripts print the path they made there. */
    String lastLine() {
      String[] lines = output.strip().split("\n");
      return lines[lines.length - 1].strip();
    }
  }

  private Commands() {}

  static Result run(Duration timeout, Map<String, String> env, List<String> command) {
    List<String> full = new ArrayList<>(command);
    try {
      ProcessBuilder builder = new ProcessBuilder(full).directory(K8sBinaries.repoRoot().toFile()).redirectErrorStream(true);
      builder.environment().putAll(env);
      Path log = Files.createTempFile("pulse-e2e-", ".log");
      builder.redirectOutput(log.toFile());
      Process process = builder.start();
      if (!process.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
        throw new IllegalStateException(String.join(" ", full) + " did not finish within " + timeout + ":\n"
            + Files.readString(log, StandardCharsets.UTF_8));
      }
      String output = Files.readString(log, StandardCharsets.UTF_8);
      Files.deleteIfExists(log);
      System.out.println("$ " + String.join(" ", full) + "\n" + tail(output, 4000));
      return new Result(process.exitValue(), output);
    } catch (IOException e) {
      throw new IllegalStateException("cannot run " + full + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running " + full, e);
    }
  }

  static Result runOrThrow(Duration timeout, Map<String, String> env, List<String> command) {
    return run(timeout, env, command).orThrow(command);
  }

  private static String tail(String text, int max) {
    return text.length() <= max ? text : "…" + text.substring(text.length() - max);
  }
}
