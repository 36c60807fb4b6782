package dev.pulse.operator.pipeline;

import dev.pulse.crd.common.SecretKeyRef;
import dev.pulse.crd.v1alpha1.SentimentPipeline;
import dev.pulse.operator.support.OwnedObjects;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import java.util.Map;

/** Small pieces every pod template of a pipeline uses. */
final class Pods {

  private Pods() {}

  static EnvVar env(String name, Object value) {
    return new EnvVarBuilder().withName(name).withValue(String.valueOf(value)).build();
  }

  /** A credential: only ever a reference to the Secret, so the value is in no object the operator writes. */
  static EnvVar secretEnv(String name, SecretKeyRef ref, String defaultKey) {
    return new EnvVarBuilder().withName(name)
        .withNewValueFrom().withNewSecretKeyRef(ref.keyOr(defaultKey), ref.getName(), false).endValueFrom()
        .build();
  }

  /** An emptyDir: the writable places of a container whose root file system is read-only. */
  static Volume emptyDir(String name, String sizeLimit) {
    return new VolumeBuilder().withName(name)
        .withNewEmptyDir().withSizeLimit(new Quantity(sizeLimit)).endEmptyDir().build();
  }

  static Volume memoryDir(String name, String sizeLimit) {
    return new VolumeBuilder().withName(name)
        .withNewEmptyDir().withMedium("Memory").withSizeLimit(new Quantity(sizeLimit)).endEmptyDir().build();
  }

  static VolumeMount mount(String name, String path) {
    return new VolumeMountBuilder().withName(name).withMountPath(path).build();
  }

  static ResourceRequirements resources(String cpuRequest, String memoryRequest, String cpuLimit, String memoryLimit) {
    return new ResourceRequirementsBuilder()
        .withRequests(Map.of("cpu", new Quantity(cpuRequest), "memory", new Quantity(memoryRequest)))
        .withLimits(Map.of("cpu", new Quantity(cpuLimit), "memory", new Quantity(memoryLimit)))
        .build();
  }

  /** The ClusterIP Service in front of one component's pods, forwarding to their port named "http". */
  static Service service(SentimentPipeline p, String name, String component, String portName, int port) {
    return new ServiceBuilder()
        .withMetadata(OwnedObjects.metadata(p, name, component))
        .withNewSpec()
          .withSelector(OwnedObjects.selector(p, component))
          .addNewPort().withName(portName).withPort(port).withTargetPort(new IntOrString("http")).endPort()
        .endSpec()
        .build();
  }
}
