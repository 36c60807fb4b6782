package dev.pulse.e2e;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Flux's source-controller and kustomize-controller on the node cluster: built from their Go modules by
 * hack/flux/build.sh (cached under ~/.cache/pulse/flux/, ~12 min cold on 2 cores, at once when cached) and run as
 * processes on this host by hack/flux/flux.sh with the cluster's kubeconfig (pods would cost the 2-core node the
 * CPU and memory Spark needs). {@link #close()} stops them; flux.sh keeps their state under the cluster's state
 * directory, so one that outlived the cluster would fail hack/cluster/check-clean.sh.
 */
final class FluxControllers implements AutoCloseable {

  private static final Duration BUILD = Duration.ofMinutes(40);
  private final Thread shutdownHook = new Thread(FluxControllers::down, "pulse-e2e-flux-down");

  private FluxControllers() {}

  static FluxControllers start() {
    long start = System.nanoTime();
    Commands.runOrThrow(BUILD, Map.of(), List.of("bash", "hack/flux/build.sh"));
    Timing.record("hack/flux/build.sh (source- and kustomize-controller)", start);
    FluxControllers flux = new FluxControllers();
    Runtime.getRuntime().addShutdownHook(flux.shutdownHook);
    start = System.nanoTime();
    Commands.runOrThrow(Duration.ofMinutes(5), Map.of(), List.of("bash", "hack/flux/flux.sh", "up"));
    Timing.record("flux.sh up (CRDs applied, controllers ready)", start);
    return flux;
  }

  @Override
  public void close() {
    down();
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException alreadyShuttingDown) {
      // the hook is running or ran
    }
  }

  private static void down() {
    Commands.run(Duration.ofMinutes(2), Map.of(), List.of("bash", "hack/flux/flux.sh", "down"));
  }
}
