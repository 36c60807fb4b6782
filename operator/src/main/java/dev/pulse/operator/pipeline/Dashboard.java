package dev.pulse.operator.pipeline;

import static dev.pulse.operator.pipeline.PipelineDefaults.or;

import dev.pulse.contract.Durations;
import dev.pulse.crd.v1alpha1.SentimentPipeline;
import dev.pulse.crd.v1alpha1.pipeline.DashboardSpec;
import dev.pulse.crd.v1alpha1.pipeline.VectorStoreSpec;
import dev.pulse.operator.metrics.PodTracing;
import dev.pulse.operator.support.OwnedObjects;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/** The dashboard backend + web app, its Service, and an Ingress when a host is given. */
public final class Dashboard {

  public static final int PORT = 8080;

  private Dashboard() {}

  /**
   * The environment dashboard/'s DashboardProperties binds (prefix pulse.dashboard, Spring's relaxed names):
   * which pipeline it shows, where its topics are, and the bearer token, only by reference.
   */
  static List<EnvVar> env(SentimentPipeline p, DashboardSpec d) {
    List<EnvVar> env = new ArrayList<>();
    env.add(Pods.env("PORT", PORT));
    env.add(Pods.env("PULSE_DASHBOARD_MODE", "cluster"));
    env.add(Pods.env("PULSE_DASHBOARD_PIPELINE", p.getMetadata().getName()));
    env.add(Pods.env("PULSE_DASHBOARD_NAMESPACE", p.getMetadata().getNamespace()));
    env.add(Pods.env("PULSE_DASHBOARD_KAFKA_BOOTSTRAP_SERVERS", PipelineDefaults.bootstrapServers(p)));
    env.addAll(PipelineKafkaEnv.env(p)); // Kafka TLS/SASL (spec.kafka.security)
    env.add(Pods.env("PULSE_DASHBOARD_KAFKA_SCOREDTOPIC", PipelineNames.topic(p, OutputTopics.Kind.SCORED)));
    env.add(Pods.env("PULSE_DASHBOARD_KAFKA_AGGREGATESTOPIC", PipelineNames.topic(p, OutputTopics.Kind.AGGREGATES)));
    env.add(Pods.env("PULSE_DASHBOARD_KAFKA_ALERTSTOPIC", PipelineNames.topic(p, OutputTopics.Kind.ALERTS)));
    // "Posts like this" searches the pipeline's collection.
    // Without a vector store the dashboard runs without "posts like this" (it needs no Qdrant host to start).
    VectorStoreSpec v = PipelineDefaults.vectorStore(p);
    if (v != null) {
      env.add(Pods.env("PULSE_DASHBOARD_VECTORS_QDRANT_HOST", v.getHost()));
      env.add(Pods.env("PULSE_DASHBOARD_VECTORS_QDRANT_PORT", PipelineDefaults.grpcPort(v)));
      env.add(Pods.env("PULSE_DASHBOARD_VECTORS_QDRANT_TLS", Boolean.TRUE.equals(v.getTls())));
      env.add(Pods.env("PULSE_DASHBOARD_VECTORS_QDRANT_COLLECTION", v.getCollection()));
      if (v.getApiKeySecret() != null) {
        env.add(Pods.secretEnv("PULSE_QDRANT_API_KEY", v.getApiKeySecret(), "api-key"));
      }
    }
    // One variable per brand (Spring binds PULSE_DASHBOARD_BRANDS_0 to brands[0]), so a comma in a term stays in it.
    List<DashboardSpec.Brand> brands = d.getBrands() == null ? List.of() : d.getBrands();
    for (int i = 0; i < brands.size(); i++) {
      env.add(Pods.env("PULSE_DASHBOARD_BRANDS_" + i, brand(brands.get(i))));
    }
    // Spring reads one unit only ("90m", not "1h30m"): the CRD's grammar is normalised here.
    env.add(Pods.env("PULSE_DASHBOARD_HISTORY_LOOKBACK", Durations.format(Durations.parse(or(d.getLookback(), "24h")))));
    if (PipelineDefaults.llm(p) != null) {
      // Alert explanations and drafted responses come from the pipeline's own gateway.
      env.add(Pods.env("PULSE_DASHBOARD_GATEWAY_URL", PipelineNames.gatewayUrl(p)));
      LlmGateway.tokenEnv(p).ifPresent(env::add);
    }
    if (d.getAuth() != null && Boolean.TRUE.equals(d.getAuth().getEnabled())) {
      env.add(Pods.secretEnv("PULSE_DASHBOARD_TOKEN", d.getAuth().getTokenSecret(), "token"));
    }
    env.add(Pods.env("JAVA_TOOL_OPTIONS", "-XX:MaxRAMPercentage=75 -Djava.io.tmpdir=/tmp"));
    env.addAll(PodTracing.env(p));
    return env;
  }

  /** The dashboard's brand entry, Name=term|term (the CRD keeps '=' out of names; a term's own '|' splits it). */
  static String brand(DashboardSpec.Brand b) {
    return b.getName().trim() + "=" + b.getTerms().stream().map(String::trim).collect(Collectors.joining("|"));
  }

  public static Deployment deployment(SentimentPipeline p, DashboardSpec d, RenderInputs inputs) {
    return new DeploymentBuilder()
        .withMetadata(OwnedObjects.metadata(p, PipelineNames.dashboard(p), PipelineNames.DASHBOARD))
        .withNewSpec()
          // Omitted replicas are left to their owner (an HPA, kubectl scale): server-side apply then never sets them.
          .withReplicas(PipelineDefaults.suspended(p) ? Integer.valueOf(0) : d.getReplicas())
          .withNewSelector().withMatchLabels(OwnedObjects.selector(p, PipelineNames.DASHBOARD)).endSelector()
          .withNewTemplate()
            .withNewMetadata().withLabels(OwnedObjects.labels(p, PipelineNames.DASHBOARD)).endMetadata()
            .withNewSpec()
              .withSecurityContext(OwnedObjects.restrictedPod())
              // Reads its pipeline's status (DashboardIdentity); nothing else.
              .withServiceAccountName(DashboardIdentity.name(p))
              .withContainers(new ContainerBuilder()
                  .withName("dashboard")
                  .withImage(or(d.getImage(), inputs.images().dashboard()))
                  .addNewPort().withName("http").withContainerPort(PORT).endPort()
                  .withEnv(env(p, d))
                  .withVolumeMounts(Pods.mount("tmp", "/tmp"))
                  .withResources(Pods.resources("250m", "512Mi", "1", "1Gi"))
                  .withStartupProbe(LlmGateway.probe("/actuator/health/liveness", 5, 24))
                  .withReadinessProbe(LlmGateway.probe("/actuator/health/readiness", 10, 3))
                  .withLivenessProbe(LlmGateway.probe("/actuator/health/liveness", 20, 3))
                  .withSecurityContext(OwnedObjects.restrictedContainer())
                  .build())
              .withVolumes(Pods.emptyDir("tmp", "256Mi"))
            .endSpec()
          .endTemplate()
        .endSpec()
        .build();
  }

  public static Service service(SentimentPipeline p) {
    return Pods.service(p, PipelineNames.dashboard(p), PipelineNames.DASHBOARD, "http", PORT);
  }

  /** Null without spec.dashboard.ingress. WebSockets need no annotation on ingress-nginx (HTTP/1.1 upgrade). */
  public static Ingress ingress(SentimentPipeline p, DashboardSpec d) {
    DashboardSpec.IngressSpec i = d.getIngress();
    if (i == null) {
      return null;
    }
    IngressBuilder b = new IngressBuilder()
        .withMetadata(OwnedObjects.metadata(p, PipelineNames.dashboard(p), PipelineNames.DASHBOARD))
        .withNewSpec()
          .withIngressClassName(i.getClassName())
          .addNewRule().withHost(i.getHost())
            .withNewHttp().addNewPath().withPath("/").withPathType("Prefix")
              .withNewBackend().withNewService().withName(PipelineNames.dashboard(p))
                .withNewPort().withName("http").endPort().endService().endBackend()
            .endPath().endHttp()
          .endRule()
        .endSpec();
    if (i.getTlsSecretName() != null) {
      b.editSpec().addNewTl().withHosts(i.getHost()).withSecretName(i.getTlsSecretName()).endTl().endSpec();
    }
    return b.build();
  }

  /** The URL a person opens: the Ingress host when set, else the in-cluster Service. */
  public static String url(SentimentPipeline p, DashboardSpec d) {
    if (d.getIngress() != null) {
      return (d.getIngress().getTlsSecretName() != null ? "https://" : "http://") + d.getIngress().getHost();
    }
    return PipelineNames.dashboardServiceUrl(p);
  }
}
