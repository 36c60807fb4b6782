package dev.pulse.operator.support;

import dev.pulse.testing.CrdInstaller;
import dev.pulse.testing.KubeApiServer;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import java.util.List;

/**
 * The Java Operator SDK with the given reconcilers, against the shared real kube-apiserver (no Spring: these tests
 * are about reconcile logic). No controller other than the operator runs there, so tests set the status of owned
 * objects themselves, as Strimzi, the Deployment controller, the Job controller or the kubelet would.
 */
public final class RunningOperator implements AutoCloseable {

  public static final java.time.Duration RESYNC = java.time.Duration.ofSeconds(2);

  private final KubeApiServer server;
  private final KubernetesClient client;
  private final Operator operator;

  private RunningOperator(KubernetesClient operatorClient, List<Reconciler<?>> reconcilers) {
    this(operatorClient, RESYNC, reconcilers);
  }

  private RunningOperator(KubernetesClient operatorClient, java.time.Duration resync, List<Reconciler<?>> reconcilers) {
    server = KubeApiServer.shared();
    CrdInstaller.installAll(server.client());
    client = operatorClient == null ? server.newClient() : operatorClient;
    operator = new Operator(o -> o.withKubernetesClient(client).withCloseClientOnStop(false)
        .withStopOnInformerErrorDuringStartup(true));
    // A short resync interval: a test can watch a real periodic reconcile (and check it writes nothing).
    reconcilers.forEach(r -> operator.register(r, config -> config.withReconciliationMaxInterval(resync)));
    operator.start();
  }

  public static RunningOperator start(Reconciler<?>... reconcilers) {
    return new RunningOperator(null, List.of(reconcilers));
  }

  /** With the operator's own client, e.g. one that acts as a ServiceAccount with only the chart's RBAC. */
  public static RunningOperator startAs(KubernetesClient operatorClient, Reconciler<?>... reconcilers) {
    return new RunningOperator(operatorClient, List.of(reconcilers));
  }

  /** With the operator's own client and resync interval, e.g. a long one to see which events reconcile what. */
  public static RunningOperator startAs(KubernetesClient operatorClient, java.time.Duration resync,
      Reconciler<?>... reconcilers) {
    return new RunningOperator(operatorClient, resync, List.of(reconcilers));
  }

  public KubeApiServer server() {
    return server;
  }

  /** A client of its own, so the test's writes do not share a connection pool with the operator. */
  public KubernetesClient testClient() {
    return server.client();
  }

  public List<Event> eventsAbout(HasMetadata object) {
    return testClient().v1().events().inNamespace(object.getMetadata().getNamespace()).list().getItems().stream()
        .filter(e -> object.getMetadata().getName().equals(e.getInvolvedObject().getName())
            && object.getKind().equals(e.getInvolvedObject().getKind()))
        .toList();
  }

  /**
   * Runs a read-modify-write (e.g. editStatus, as a controller would) again when it lost a race with the operator
   * (HTTP 409), as client-go's RetryOnConflict does.
   */
  public static void retryOnConflict(Runnable update) {
    for (int attempt = 1; ; attempt++) {
      try {
        update.run();
        return;
      } catch (io.fabric8.kubernetes.client.KubernetesClientException e) {
        if (e.getCode() != 409 || attempt == 5) {
          throw e;
        }
      }
    }
  }

  @Override
  public void close() {
    operator.stop();
    client.close();
  }
}
