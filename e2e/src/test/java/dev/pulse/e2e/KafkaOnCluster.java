package dev.pulse.e2e;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.Map;
import org.awaitility.Awaitility;

/**
 * A one-node KRaft broker as a pod (the pulse-kafka image: Kafka's own server jar), behind Service {@code pulse-kafka},
 * the plain Kafka the minimal samples name. It advertises its pod IP, which pods and this host both reach.
 */
final class KafkaOnCluster {

  static final String NAME = "pulse-kafka";
  static final int PORT = 9092;

  private final KubernetesClient client;
  private final String namespace;

  private KafkaOnCluster(KubernetesClient client, String namespace) {
    this.client = client;
    this.namespace = namespace;
  }

  static KafkaOnCluster deploy(KubernetesClient client, String namespace, Duration deadline) {
    Map<String, String> labels = Map.of("app.kubernetes.io/name", NAME, "app.kubernetes.io/component", "kafka-e2e");
    client.apps().deployments().inNamespace(namespace).resource(new DeploymentBuilder()
        .withNewMetadata().withName(NAME).withLabels(labels).endMetadata()
        .withNewSpec().withReplicas(1).withNewSelector().withMatchLabels(labels).endSelector()
        .withNewStrategy().withType("Recreate").endStrategy()
        .withNewTemplate().withNewMetadata().withLabels(labels).endMetadata()
        .withNewSpec()
        .withNewSecurityContext().withRunAsNonRoot(true).withRunAsUser(65532L).withFsGroup(65532L).endSecurityContext()
        .addNewContainer().withName("kafka").withImage(KafkaImage.reference()).withImagePullPolicy("IfNotPresent")
        .withEnv(KafkaImage.env())
        .addNewPort().withName("kafka").withContainerPort(PORT).endPort()
        .withNewReadinessProbe().withNewTcpSocket().withPort(new IntOrString(PORT)).endTcpSocket()
        .withPeriodSeconds(2).endReadinessProbe()
        // A CPU request gives the broker a cgroup weight: without one it gets the minimum and, on a busy node, the
        // whole data path waits on it.
        .withNewResources().addToLimits("memory", new io.fabric8.kubernetes.api.model.Quantity("1Gi"))
            .addToRequests("cpu", new io.fabric8.kubernetes.api.model.Quantity("250m")).endResources()
        .withNewSecurityContext().withReadOnlyRootFilesystem(true).withAllowPrivilegeEscalation(false)
        .withNewCapabilities().addToDrop("ALL").endCapabilities().endSecurityContext()
        .addNewVolumeMount().withName("data").withMountPath(KafkaImage.DATA_DIR).endVolumeMount()
        .addNewVolumeMount().withName("tmp").withMountPath("/tmp").endVolumeMount()
        .endContainer()
        .addNewVolume().withName("data").withNewEmptyDir().endEmptyDir().endVolume()
        .addNewVolume().withName("tmp").withNewEmptyDir().endEmptyDir().endVolume()
        .endSpec().endTemplate().endSpec().build()).serverSideApply();
    client.services().inNamespace(namespace).resource(new ServiceBuilder()
        .withNewMetadata().withName(NAME).withLabels(labels).endMetadata()
        .withNewSpec().withSelector(labels).addNewPort().withName("kafka").withPort(PORT)
        .withTargetPort(new IntOrString(PORT)).endPort().endSpec().build()).serverSideApply();
    KafkaOnCluster kafka = new KafkaOnCluster(client, namespace);
    Awaitility.await("Kafka broker pod ready").atMost(deadline).pollInterval(Duration.ofSeconds(2))
        .until(Probe.of("Kafka broker", () -> kafka.readyPod() != null && FeedTopic.topics(kafka.bootstrap()) != null));
    return kafka;
  }

  /** host:port for clients on this host (the pod IP; the in-cluster name is pulse-kafka:9092). */
  String bootstrap() {
    Pod pod = readyPod();
    if (pod == null) {
      throw new IllegalStateException("no ready Kafka pod in " + namespace);
    }
    return pod.getStatus().getPodIP() + ":" + PORT;
  }

  private Pod readyPod() {
    return client.pods().inNamespace(namespace).withLabel("app.kubernetes.io/name", NAME).list().getItems().stream()
        .filter(p -> p.getMetadata().getDeletionTimestamp() == null && p.getStatus() != null
            && p.getStatus().getConditions().stream().anyMatch(c -> "Ready".equals(c.getType())
            && "True".equals(c.getStatus())))
        .findFirst().orElse(null);
  }
}
