package dev.pulse.testing;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** Installs CRDs into the test API server and waits until they serve. */
public final class CrdInstaller {

  /** Upstream CRDs bundled in this test-jar (see upstream-crds/README.md). */
  public static final List<String> UPSTREAM = List.of(
      "upstream-crds/strimzi-0.51.0_kafkatopics.yaml",
      "upstream-crds/sparkoperator.k8s.io_sparkapplications.yaml",
      "upstream-crds/monitoring.coreos.com_servicemonitors.yaml",
      "upstream-crds/monitoring.coreos.com_prometheusrules.yaml",
      "upstream-crds/monitoring.coreos.com_podmonitors.yaml",
      "upstream-crds/helm.toolkit.fluxcd.io_helmreleases.yaml",
      "upstream-crds/source.toolkit.fluxcd.io_helmrepositories.yaml",
      "upstream-crds/source.toolkit.fluxcd.io_gitrepositories.yaml",
      "upstream-crds/kustomize.toolkit.fluxcd.io_kustomizations.yaml");

  private CrdInstaller() {}

  /** Pulse's own CRDs as the build generated them (target/classes/META-INF/fabric8 of the crds module). */
  public static List<CustomResourceDefinition> generatedPulseCrds() {
    return Stream.of("sourcefeeds", "modeladapters", "sentimentpipelines")
        .map(plural -> "META-INF/fabric8/" + plural + ".pulse.dev-v1.yml")
        .map(CrdInstaller::fromClasspath)
        .toList();
  }

  public static List<CustomResourceDefinition> upstreamCrds() {
    return UPSTREAM.stream().map(CrdInstaller::fromClasspath).toList();
  }

  /** Installs Pulse's and the upstream CRDs once per API server; idempotent. */
  public static synchronized void installAll(KubernetesClient client) {
    install(client, generatedPulseCrds());
    install(client, upstreamCrds());
  }

  /**
   * Server-side apply: the SparkApplication CRD (~0.85 MB) is over the 256 KiB annotation that
   * client-side apply would write.
   */
  public static void install(KubernetesClient client, List<CustomResourceDefinition> crds) {
    for (CustomResourceDefinition crd : crds) {
      crd.getMetadata().setResourceVersion(null);
      client.apiextensions().v1().customResourceDefinitions().resource(crd)
          .fieldManager("pulse-tests").forceConflicts().serverSideApply();
    }
    for (CustomResourceDefinition crd : crds) {
      client.apiextensions().v1().customResourceDefinitions().withName(crd.getMetadata().getName())
          .waitUntilCondition(CrdInstaller::isEstablished, 60, TimeUnit.SECONDS);
    }
  }

  public static boolean isEstablished(CustomResourceDefinition crd) {
    return crd != null && crd.getStatus() != null && crd.getStatus().getConditions() != null
        && crd.getStatus().getConditions().stream()
            .anyMatch(c -> "Established".equals(c.getType()) && "True".equals(c.getStatus()));
  }

  public static CustomResourceDefinition fromClasspath(String resource) {
    try (InputStream in = CrdInstaller.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("CRD resource not on the test classpath: " + resource);
      }
      return Serialization.unmarshal(in, CustomResourceDefinition.class);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static CustomResourceDefinition fromFile(Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      return Serialization.unmarshal(in, CustomResourceDefinition.class);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
