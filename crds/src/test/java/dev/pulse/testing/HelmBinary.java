package dev.pulse.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The real helm CLI, built from its Go module by hack/build-helm.sh on first use. */
public final class HelmBinary {

  private static Path helm;

  private HelmBinary() {}

  public static synchronized Path ensure() throws IOException {
    if (helm == null) {
      Path script = K8sBinaries.repoRoot().resolve("hack/build-helm.sh");
      Result built = run(List.of("bash", script.toString()));
      if (built.exitCode != 0) {
        throw new IllegalStateException("hack/build-helm.sh failed:\n" + built.output);
      }
      String[] lines = built.output.trim().split("\n");
      helm = Paths.get(lines[lines.length - 1].trim());
      if (!Files.isExecutable(helm)) {
        throw new IllegalStateException("hack/build-helm.sh did not produce helm: " + helm);
      }
    }
    return helm;
  }

  /** Runs helm with the arguments; stdout and stderr together. */
  public static Result helm(String... args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(ensure().toString());
    command.addAll(List.of(args));
    return run(command);
  }

  private static Result run(List<String> command) throws IOException {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    try {
      if (!process.waitFor(20, TimeUnit.MINUTES)) {
        process.destroyForcibly();
        throw new IllegalStateException("timed out: " + command);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    return new Result(process.exitValue(), output);
  }

  /** Exit code and combined output of a command. */
  public record Result(int exitCode, String output) {}
}
