package dev.pulse.observability;

import dev.pulse.testsupport.observe.GoBuilds;
import java.nio.file.Path;

/** The Go binaries these tests run: test-support's {@link GoBuilds} (Jaeger's is in its JaegerServer). */
final class GoBinaries {
  private GoBinaries() {}

  /** The directory holding {@code prometheus} and {@code promtool} (hack/observability/build-prometheus.sh). */
  static Path prometheus() {
    return build("build-prometheus.sh");
  }

  /** Runs the script (a cold build takes minutes; a cached one returns at once) and returns the directory it prints. */
  static Path build(String script) {
    return GoBuilds.build(script);
  }
}
