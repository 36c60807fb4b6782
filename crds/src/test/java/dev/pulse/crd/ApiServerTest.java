package dev.pulse.crd;

import dev.pulse.testing.CrdInstaller;
import dev.pulse.testing.KubeApiServer;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.BeforeAll;

/** Base of tests that run against the real kube-apiserver with every CRD installed. */
abstract class ApiServerTest {

  protected static KubeApiServer server;
  protected static KubernetesClient client;

  @BeforeAll
  static void startApiServer() {
    server = KubeApiServer.shared();
    client = server.client();
    CrdInstaller.installAll(client);
  }
}
