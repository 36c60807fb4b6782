package dev.pulse.testing;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

/**
 * A real kube-apiserver backed by a real etcd, started once per test JVM from the binaries that
 * {@code hack/build-k8s-binaries.sh} builds from their Go modules. No controllers run: objects are stored,
 * validated (OpenAPI schema, CEL, admission) and watched exactly as in a cluster, but nothing reconciles
 * Deployments or namespaces. Tests isolate themselves by namespace.
 */
public final class KubeApiServer {

  private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(90);
  private static KubeApiServer shared;

  private final Path workDir;
  private final Path binDir;
  private final List<Process> processes = new ArrayList<>();
  private final String token = UUID.randomUUID().toString();
  private int apiPort;
  private Path kubeconfig;
  private KubernetesClient client;

  private KubeApiServer(Path binDir, Path workDir) {
    this.binDir = binDir;
    this.workDir = workDir;
  }

  /** The API server of this test JVM, started on first use and stopped when the JVM exits. */
  public static synchronized KubeApiServer shared() {
    if (shared == null) {
      try {
        KubeApiServer server = new KubeApiServer(K8sBinaries.ensure(), Files.createTempDirectory("pulse-kube-"));
        Runtime.getRuntime().addShutdownHook(new Thread(server::stop, "kube-apiserver-stop"));
        server.start();
        shared = server;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return shared;
  }

  /**
   * A second API server of its own (own etcd), for a test that needs a cluster other tests must not see, such as one
   * without the upstream CRDs. {@link #close()} stops it; it is stopped at JVM exit in any case.
   */
  public static KubeApiServer startPrivate() {
    try {
      KubeApiServer server = new KubeApiServer(K8sBinaries.ensure(), Files.createTempDirectory("pulse-kube-"));
      Runtime.getRuntime().addShutdownHook(new Thread(server::stop, "kube-apiserver-stop"));
      server.start();
      return server;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Stops a server from {@link #startPrivate()} (the shared one lives as long as the JVM). */
  public void close() {
    if (this == shared) {
      throw new IllegalStateException("the shared API server is stopped at JVM exit");
    }
    stop();
  }

  public KubernetesClient client() { return client; }

  /** A kubeconfig file for this server, for code that reads "the current kubeconfig" like the operator. */
  public Path kubeconfig() { return kubeconfig; }

  public String url() { return "https://127.0.0.1:" + apiPort; }

  /** A fresh client with the same credentials (an operator under test should not share the tests' client). */
  public KubernetesClient newClient() {
    return new KubernetesClientBuilder().withConfig(clientConfig()).build();
  }

  public Config clientConfig() {
    return new ConfigBuilder(Config.empty())
        .withMasterUrl(url())
        .withOauthToken(token)
        .withTrustCerts(true)
        .withDisableHostnameVerification(true)
        .withRequestTimeout(30_000)
        .build();
  }

  /** Creates a namespace with a unique name: the unit of isolation between tests. */
  public String createNamespace(String prefix) {
    String name = (prefix + "-" + UUID.randomUUID().toString().substring(0, 8)).toLowerCase();
    client.namespaces().resource(new io.fabric8.kubernetes.api.model.NamespaceBuilder()
        .withNewMetadata().withName(name).endMetadata().build()).create();
    return name;
  }

  private void start() throws IOException {
    int etcdPort = freePort();
    int etcdPeerPort = freePort();
    apiPort = freePort();
    Path etcdData = Files.createDirectories(workDir.resolve("etcd"));
    Path certDir = Files.createDirectories(workDir.resolve("certs"));
    Path saKey = writeServiceAccountKey(workDir.resolve("sa.key"));
    Path tokens = workDir.resolve("tokens.csv");
    Files.writeString(tokens, token + ",pulse-test-admin,pulse-test-admin,\"system:masters\"\n");

    String etcdUrl = "http://127.0.0.1:" + etcdPort;
    String peerUrl = "http://127.0.0.1:" + etcdPeerPort;
    launch("etcd", List.of(
        binDir.resolve("etcd").toString(),
        "--data-dir=" + etcdData,
        "--listen-client-urls=" + etcdUrl,
        "--advertise-client-urls=" + etcdUrl,
        "--listen-peer-urls=" + peerUrl,
        "--initial-advertise-peer-urls=" + peerUrl,
        "--initial-cluster=default=" + peerUrl,
        "--unsafe-no-fsync=true",
        "--log-level=warn"));

    launch("kube-apiserver", List.of(
        binDir.resolve("kube-apiserver").toString(),
        "--etcd-servers=" + etcdUrl,
        "--bind-address=127.0.0.1",
        "--advertise-address=127.0.0.1",
        "--secure-port=" + apiPort,
        "--cert-dir=" + certDir,
        "--token-auth-file=" + tokens,
        "--authorization-mode=RBAC",
        "--service-account-issuer=https://kubernetes.default.svc.cluster.local",
        "--service-account-key-file=" + saKey,
        "--service-account-signing-key-file=" + saKey,
        "--service-cluster-ip-range=10.96.0.0/16",
        // No controller-manager creates default ServiceAccounts, so that admission plugin would reject pods.
        "--disable-admission-plugins=ServiceAccount",
        "--allow-privileged=true",
        "--v=0"));

    client = new KubernetesClientBuilder().withConfig(clientConfig()).build();
    awaitReady();
    kubeconfig = writeKubeconfig(workDir.resolve("kubeconfig"));
  }

  private void launch(String name, List<String> command) throws IOException {
    Path log = workDir.resolve(name + ".log");
    Process process = new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(log.toFile())
        .start();
    processes.add(process);
  }

  private void awaitReady() {
    Instant deadline = Instant.now().plus(STARTUP_TIMEOUT);
    Exception last = null;
    while (Instant.now().isBefore(deadline)) {
      for (Process p : processes) {
        if (!p.isAlive()) {
          throw new IllegalStateException("a test control-plane process exited early with code " + p.exitValue()
              + "; see the logs in " + workDir);
        }
      }
      try {
        String ready = client.raw("/readyz");
        if ("ok".equals(ready == null ? null : ready.trim())) {
          return;
        }
      } catch (Exception e) {
        last = e;
      }
      sleep(250);
    }
    throw new IllegalStateException("kube-apiserver was not ready after " + STARTUP_TIMEOUT.toSeconds()
        + "s; see the logs in " + workDir, last);
  }

  private Path writeKubeconfig(Path file) throws IOException {
    String yaml = String.join("\n",
        "apiVersion: v1",
        "kind: Config",
        "clusters:",
        "- name: pulse-test",
        "  cluster:",
        "    server: " + url(),
        "    insecure-skip-tls-verify: true",
        "users:",
        "- name: pulse-test-admin",
        "  user:",
        "    token: " + token,
        "contexts:",
        "- name: pulse-test",
        "  context:",
        "    cluster: pulse-test",
        "    user: pulse-test-admin",
        "    namespace: default",
        "current-context: pulse-test",
        "");
    Files.writeString(file, yaml);
    return file;
  }

  private static Path writeServiceAccountKey(Path file) throws IOException {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(2048);
      byte[] pkcs8 = generator.generateKeyPair().getPrivate().getEncoded();
      String pem = "-----BEGIN PRIVATE KEY-----\n"
          + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(pkcs8)
          + "\n-----END PRIVATE KEY-----\n";
      Files.writeString(file, pem);
      return file;
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private synchronized void stop() {
    if (client != null) {
      client.close();
    }
    // Reverse order: the API server before its etcd.
    for (int i = processes.size() - 1; i >= 0; i--) {
      Process p = processes.get(i);
      p.destroy();
      try {
        if (!p.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
          p.destroyForcibly();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        p.destroyForcibly();
      }
    }
    processes.clear();
    // etcd's data and the certificates (70-350 MB a run): left behind, a few hundred test runs filled 16 GB of /tmp.
    deleteRecursively(workDir);
  }

  private static void deleteRecursively(Path dir) {
    try (var paths = Files.walk(dir)) {
      paths.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    } catch (IOException e) {
      // best effort: a leftover temp folder must not fail a test run
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      socket.setReuseAddress(true);
      return socket.getLocalPort();
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
