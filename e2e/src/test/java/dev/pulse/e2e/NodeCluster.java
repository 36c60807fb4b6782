package dev.pulse.e2e;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The real single-node cluster of hack/cluster/, started once per test JVM and torn down after the last test
 * class (and by a shutdown hook when the JVM is stopped early), so every run leaves the host as it found it.
 * Test classes use it with {@code @ExtendWith(NodeCluster.class)} and {@link #get()}.
 */
public final class NodeCluster implements BeforeAllCallback, ExtensionContext.Store.CloseableResource {

  private static final Duration BUILD = Duration.ofMinutes(40);
  private static final Duration UP = Duration.ofMinutes(10);
  private static final Path HOST_BEFORE = Path.of(System.getProperty("java.io.tmpdir"), "pulse-e2e-host-before.txt");
  private static NodeCluster started;

  private Path kubeconfig;
  private Path kubectl;
  private KubernetesClient client;
  private Thread shutdownHook;
  /** Started by this JVM, which tears it down in {@link #close()}; false for one it only attached to. */
  private boolean owned = true;

  public static synchronized NodeCluster get() {
    if (started == null) {
      throw new IllegalStateException("the cluster is not up: annotate the test class with @ExtendWith(NodeCluster.class)");
    }
    return started;
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    synchronized (NodeCluster.class) {
      if (started != null) {
        return;
      }
      NodeCluster cluster = new NodeCluster();
      cluster.start();
      started = cluster;
      // The root store closes its resources once, after every test class of the run.
      context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL).put(NodeCluster.class.getName(), cluster);
    }
  }

  /**
   * A fresh cluster for a program that is not a JUnit run (./pulse bench cluster): started as for the suite (a
   * leftover torn down first, the host recorded, a shutdown hook), and torn down and checked by {@link #close()}.
   */
  static NodeCluster startOwned() {
    NodeCluster cluster = new NodeCluster();
    cluster.start();
    return cluster;
  }

  /**
   * The cluster that is up now (cluster.sh kubeconfig answers), if any, attached to without taking it over:
   * {@link #close()} closes only the client and leaves the cluster running.
   */
  static Optional<NodeCluster> attachRunning() {
    requireRoot();
    Commands.Result running = Commands.run(Duration.ofMinutes(1), Map.of(),
        List.of("bash", "hack/cluster/cluster.sh", "kubeconfig"));
    if (running.exitCode() != 0) {
      return Optional.empty();
    }
    NodeCluster cluster = new NodeCluster();
    cluster.owned = false;
    cluster.kubectl = Path.of(script(BUILD, "build-node-binaries.sh").lastLine()).resolve("kubectl");
    cluster.connect(Path.of(running.lastLine()));
    return Optional.of(cluster);
  }

  /** A cluster started here and left running by {@link #close()} (./pulse bench cluster --keep-cluster). */
  static NodeCluster startUnowned() {
    requireRoot();
    NodeCluster cluster = new NodeCluster();
    cluster.owned = false;
    cluster.kubectl = Path.of(script(BUILD, "build-node-binaries.sh").lastLine()).resolve("kubectl");
    script(BUILD, "cluster.sh", "prepare");
    script(UP, "cluster.sh", "up");
    cluster.connect(Path.of(script(Duration.ofMinutes(1), "cluster.sh", "kubeconfig").lastLine()));
    return cluster;
  }

  /**
   * Why this host cannot run the cluster (not root, or too little free disk: cluster.sh preflight's own ERROR
   * lines), or empty when it can. Starts nothing.
   */
  static Optional<String> cannotRunHere() {
    try {
      requireRoot();
    } catch (IllegalStateException e) {
      return Optional.of(e.getMessage());
    }
    Commands.Result preflight = Commands.run(Duration.ofMinutes(1), Map.of(),
        List.of("bash", "hack/cluster/cluster.sh", "preflight"));
    return preflight.exitCode() == 0 ? Optional.empty() : Optional.of(preflight.output().strip());
  }

  boolean owned() {
    return owned;
  }

  private void start() {
    requireRoot();
    Path nodeDir = Path.of(script(BUILD, "build-node-binaries.sh").lastLine());
    kubectl = nodeDir.resolve("kubectl");
    script(BUILD, "cluster.sh", "prepare");
    // A cluster left by a run that was killed is torn down before the host is recorded as "as found".
    down();
    script(Duration.ofMinutes(2), "check-clean.sh", "snapshot", HOST_BEFORE.toString());
    shutdownHook = new Thread(this::down, "pulse-e2e-cluster-down");
    Runtime.getRuntime().addShutdownHook(shutdownHook);
    long start = System.nanoTime();
    script(UP, "cluster.sh", "up");
    Timing.record("cluster.sh up (binaries cached)", start);
    connect(Path.of(script(Duration.ofMinutes(1), "cluster.sh", "kubeconfig").lastLine()));
  }

  private void connect(Path kubeconfigFile) {
    kubeconfig = kubeconfigFile;
    client = new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(read(kubeconfig))).build();
  }

  /** Imports image archives (docker or OCI) into the node's containerd. */
  public void load(List<Path> archives) {
    List<String> args = new ArrayList<>(List.of("cluster.sh", "load"));
    archives.forEach(a -> args.add(a.toString()));
    script(Duration.ofMinutes(10), args.toArray(String[]::new));
  }

  public KubernetesClient client() {
    return client;
  }

  public Path kubeconfig() {
    return kubeconfig;
  }

  /** The real kubectl, built from the same Kubernetes release as the node. */
  public Commands.Result kubectl(String... args) {
    List<String> command = new ArrayList<>(List.of(kubectl.toString()));
    command.addAll(List.of(args));
    return Commands.run(Duration.ofMinutes(2), Map.of("KUBECONFIG", kubeconfig.toString()), command);
  }

  @Override
  public void close() {
    if (client != null) {
      client.close();
    }
    if (!owned) {
      return; // attached to, or kept on purpose: not this JVM's to tear down
    }
    down();
    if (shutdownHook != null) {
      try {
        Runtime.getRuntime().removeShutdownHook(shutdownHook);
      } catch (IllegalStateException alreadyShuttingDown) {
        // the hook is running or ran: nothing to remove
      }
    }
    // Leaving the host as found is part of the suite's contract: a leftover fails the run.
    script(Duration.ofMinutes(2), "cluster.sh", "verify-clean", HOST_BEFORE.toString());
    synchronized (NodeCluster.class) {
      started = null;
    }
  }

  private synchronized void down() {
    Commands.run(Duration.ofMinutes(5), Map.of(), List.of("bash", "hack/cluster/cluster.sh", "down"));
  }

  static Commands.Result script(Duration timeout, String... args) {
    List<String> command = new ArrayList<>(List.of("bash", "hack/cluster/" + args[0]));
    command.addAll(List.of(args).subList(1, args.length));
    return Commands.runOrThrow(timeout, Map.of(), command);
  }

  private static void requireRoot() {
    String user = System.getProperty("user.name");
    if (!"root".equals(user)) {
      throw new IllegalStateException("the end-to-end suite starts a kubelet, containerd and iptables rules, so it "
          + "runs as root (user is " + user + "); skip it with -Dpulse.e2e.skip=true");
    }
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read the cluster's kubeconfig " + file, e);
    }
  }
}
