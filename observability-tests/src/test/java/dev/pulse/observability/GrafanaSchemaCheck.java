package dev.pulse.observability;

import dev.pulse.testing.K8sBinaries;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * observability-tests/grafana-schema/check.sh: tsc --noEmit --strict over each dashboard assigned to Grafana's
 * published {@code Dashboard} type (@grafana/schema, pinned in that folder's package-lock.json).
 */
final class GrafanaSchemaCheck {
  /** check.sh's status when npm ci could not install the pinned packages. */
  static final int NPM_INSTALL_FAILED = 3;
  /** Generous: the first run installs the packages with npm ci; a warm run takes a few seconds. */
  private static final long TIMEOUT_MINUTES = 5;

  record Result(int exit, String output) {}

  private GrafanaSchemaCheck() {}

  static Path script() {
    return K8sBinaries.repoRoot().resolve("observability-tests/grafana-schema/check.sh");
  }

  static Result run(Path workDir, List<Path> dashboards) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("bash", script().toString(), workDir.resolve("ts").toString()));
    dashboards.forEach(d -> command.add(d.toAbsolutePath().toString()));
    Path log = workDir.resolve("check.log");
    // Output to a file, so that the timeout holds even while the process still writes.
    Process p = new ProcessBuilder(command).directory(K8sBinaries.repoRoot().toFile()).redirectErrorStream(true)
        .redirectOutput(log.toFile()).start();
    if (!p.waitFor(TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
      throw new IllegalStateException("check.sh did not finish in " + TIMEOUT_MINUTES + " minutes:\n"
          + Files.readString(log, StandardCharsets.UTF_8));
    }
    Files.deleteIfExists(workDir.resolve("ts/node_modules")); // the link into the shared cache, not the cache
    return new Result(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
  }
}
