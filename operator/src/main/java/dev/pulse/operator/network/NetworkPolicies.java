package dev.pulse.operator.network;

import dev.pulse.crd.v1alpha1.ModelAdapter;
import dev.pulse.crd.v1alpha1.SentimentPipeline;
import dev.pulse.operator.adapter.LabelledSource;
import dev.pulse.operator.adapter.ModelAdapterObjects;
import dev.pulse.crd.v1alpha1.SourceFeed;
import dev.pulse.crd.v1alpha1.SourceFeedSpec;
import dev.pulse.crd.v1alpha1.pipeline.DashboardSpec;
import dev.pulse.crd.v1alpha1.pipeline.LlmSpec;
import dev.pulse.crd.v1alpha1.pipeline.VectorStoreSpec;
import dev.pulse.operator.feed.IngesterConfig;
import dev.pulse.operator.feed.SourceFeedObjects;
import dev.pulse.operator.pipeline.Dashboard;
import dev.pulse.operator.pipeline.LlmGateway;
import dev.pulse.operator.pipeline.PipelineDefaults;
import dev.pulse.operator.pipeline.PipelineNames;
import dev.pulse.operator.pipeline.SparkDriver;
import dev.pulse.operator.pipeline.VllmServer;
import dev.pulse.operator.support.OwnedNames;
import dev.pulse.operator.support.OwnedObjects;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyEgressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyEgressRuleBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRuleBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeerBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPortBuilder;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * One NetworkPolicy per workload Pulse creates, as a pure function of the resource: each selects its component's pods
 * (the same labels as its Deployment's selector) and allows, in and out, only the flows that component needs; with a
 * policy engine in the cluster everything else is dropped. The flows:
 *
 * <ul>
 *   <li>every component: DNS out (UDP and TCP 53);
 *   <li>ingester (SourceFeed): out to Kafka's ports and its source's HTTP(S) ports (RSS URLs' ports, 443 for X and
 *       Reddit; none for a replay); in only its metrics port (Prometheus);
 *   <li>Spark driver and executors: among themselves on any port, out to Kafka, the LLM gateway, Qdrant's gRPC port
 *       and the API server (443 and 6443: the driver creates its executors; the checkpoint store's HTTPS too); in from
 *       Prometheus on the UI/metrics port;
 *   <li>LLM gateway: in from the pipeline's Spark pods and dashboard (and Prometheus) on its port; out to the LLM
 *       server's port and Qdrant's gRPC port;
 *   <li>LLM server (vLLM or llama.cpp): in from the gateway (and Prometheus) on its port; out HTTPS (443) for a base
 *       model fetched from a hub;
 *   <li>dashboard: in on its port from anywhere (the Ingress controller and browsers), out to Kafka, Qdrant's gRPC
 *       port, the gateway and the API server (it reads its SentimentPipeline's status).
 * </ul>
 *
 * Kafka, Qdrant and the API server may live anywhere (another namespace, outside the cluster), so they are allowed by
 * port, to any address; in-namespace peers are allowed by their pod labels. "Prometheus" means pods labelled
 * {@code app.kubernetes.io/name=prometheus} in any namespace (the Prometheus operator's and the chart's label).
 * Kubelet probes come from the node and are not subject to these policies in common engines.
 */
public final class NetworkPolicies {
  public static final int DNS_PORT = 53;
  public static final List<Integer> API_SERVER_PORTS = List.of(443, 6443);
  static final String COMPONENT = "network-policy";

  private NetworkPolicies() {}

  /** The pipeline's policies, for the components it runs (none for the parts that are off). */
  public static List<NetworkPolicy> forPipeline(SentimentPipeline p) {
    List<Integer> kafka = kafkaPorts(PipelineDefaults.bootstrapServers(p));
    VectorStoreSpec vectors = PipelineDefaults.vectorStore(p);
    List<Integer> qdrant = vectors == null ? List.of() : List.of(PipelineDefaults.grpcPort(vectors));
    LlmSpec llm = PipelineDefaults.llm(p);
    DashboardSpec dashboard = PipelineDefaults.dashboard(p);
    Map<String, String> spark = OwnedObjects.selector(p, PipelineNames.SPARK);
    Map<String, String> gateway = OwnedObjects.selector(p, PipelineNames.GATEWAY);
    Map<String, String> llmServer = OwnedObjects.selector(p, PipelineNames.VLLM);
    Map<String, String> dashboardPods = OwnedObjects.selector(p, PipelineNames.DASHBOARD);
    List<NetworkPolicy> out = new ArrayList<>();

    List<NetworkPolicyEgressRule> sparkOut = new ArrayList<>(List.of(dns(), toPods(spark, List.of()),
        toAnywhere(kafka), toAnywhere(API_SERVER_PORTS)));
    if (!qdrant.isEmpty()) {
      sparkOut.add(toAnywhere(qdrant));
    }
    if (llm != null) {
      sparkOut.add(toPods(gateway, List.of(LlmGateway.PORT)));
    }
    out.add(policy(p, PipelineNames.SPARK, spark,
        List.of(fromPods(spark, List.of()), fromPrometheus(List.of(SparkDriver.UI_PORT, SparkDriver.METRICS_PORT))), sparkOut));

    if (llm != null) {
      List<NetworkPolicyPeer> callers = new ArrayList<>(List.of(peer(spark)));
      if (dashboard != null) {
        callers.add(peer(dashboardPods));
      }
      List<NetworkPolicyEgressRule> gatewayOut = new ArrayList<>(List.of(dns(),
          toPods(llmServer, List.of(VllmServer.PORT))));
      if (!qdrant.isEmpty()) {
        gatewayOut.add(toAnywhere(qdrant));
      }
      out.add(policy(p, PipelineNames.GATEWAY, gateway,
          List.of(from(callers, List.of(LlmGateway.PORT)), fromPrometheus(List.of(LlmGateway.PORT))), gatewayOut));
      out.add(policy(p, PipelineNames.VLLM, llmServer,
          List.of(fromPods(gateway, List.of(VllmServer.PORT)), fromPrometheus(List.of(VllmServer.PORT))),
          List.of(dns(), toAnywhere(List.of(443)))));
    }

    if (dashboard != null) {
      List<NetworkPolicyEgressRule> dashboardOut = new ArrayList<>(List.of(dns(), toAnywhere(kafka),
          toAnywhere(API_SERVER_PORTS)));
      if (!qdrant.isEmpty()) {
        dashboardOut.add(toAnywhere(qdrant));
      }
      if (llm != null) {
        dashboardOut.add(toPods(gateway, List.of(LlmGateway.PORT)));
      }
      out.add(policy(p, PipelineNames.DASHBOARD, dashboardPods,
          List.of(new NetworkPolicyIngressRuleBuilder().withPorts(tcp(List.of(Dashboard.PORT))).build()),
          dashboardOut));
    }
    return out;
  }

  /** The feed's ingester policy. */
  public static NetworkPolicy forFeed(SourceFeed feed) {
    Map<String, String> ingester = OwnedObjects.selector(feed, SourceFeedObjects.COMPONENT);
    List<NetworkPolicyEgressRule> egress = new ArrayList<>(List.of(dns(),
        toAnywhere(kafkaPorts(IngesterConfig.bootstrapServers(feed)))));
    List<Integer> source = sourcePorts(feed.getSpec());
    if (!source.isEmpty()) {
      egress.add(toAnywhere(source));
    }
    return policy(feed, SourceFeedObjects.COMPONENT, ingester,
        List.of(fromPrometheus(List.of(IngesterConfig.METRICS_PORT))), egress);
  }

  /**
   * The training pods' policy: nothing may connect to them, and they reach only DNS and, when the adapter names a
   * Hub token (the weights are downloaded), HTTPS; without one the trainer runs offline from its volumes. A
   * labelled-topic dataset adds Kafka's ports.
   */
  public static NetworkPolicy forAdapter(ModelAdapter adapter) {
    return forAdapter(adapter, null);
  }

  /** With a labelled-topic dataset ({@code labelled}): out to Kafka's ports too, for the export init container. */
  public static NetworkPolicy forAdapter(ModelAdapter adapter, LabelledSource labelled) {
    List<NetworkPolicyEgressRule> egress = new ArrayList<>(List.of(dns()));
    if (adapter.getSpec().getBaseModel() != null && adapter.getSpec().getBaseModel().getHubTokenSecret() != null) {
      egress.add(toAnywhere(List.of(443)));
    }
    if (labelled != null) {
      egress.add(toAnywhere(kafkaPorts(labelled.bootstrapServers())));
    }
    return policy(adapter, ModelAdapterObjects.COMPONENT, OwnedObjects.selector(adapter, ModelAdapterObjects.COMPONENT),
        List.of(), egress);
  }

  /** The policy's name: the component's own object name with a suffix, within 63 characters. */
  public static String name(io.fabric8.kubernetes.api.model.HasMetadata owner, String component) {
    return OwnedNames.child(owner.getMetadata().getName(), component + "-net");
  }

  private static NetworkPolicy policy(io.fabric8.kubernetes.api.model.HasMetadata owner, String component,
      Map<String, String> pods, List<NetworkPolicyIngressRule> ingress, List<NetworkPolicyEgressRule> egress) {
    return new NetworkPolicyBuilder()
        .withMetadata(OwnedObjects.metadata(owner, name(owner, component), component))
        .withNewSpec()
          .withPodSelector(selector(pods))
          .withPolicyTypes("Ingress", "Egress")
          .withIngress(ingress)
          .withEgress(egress)
        .endSpec()
        .build();
  }

  /** The TCP ports of the bootstrap servers (host:port, comma-separated; 9092 when a port is missing). */
  static List<Integer> kafkaPorts(String bootstrapServers) {
    TreeSet<Integer> ports = new TreeSet<>();
    for (String server : bootstrapServers.split(",")) {
      String s = server.trim();
      int colon = s.lastIndexOf(':');
      try {
        ports.add(colon < 0 ? 9092 : Integer.parseInt(s.substring(colon + 1)));
      } catch (NumberFormatException e) {
        ports.add(9092);
      }
    }
    return List.copyOf(ports);
  }

  /** Where the feed's source is reached: its RSS URLs' ports, 443 for X and Reddit, none for a replay file. */
  static List<Integer> sourcePorts(SourceFeedSpec spec) {
    TreeSet<Integer> ports = new TreeSet<>();
    switch (spec.getType()) {
      case RSS -> spec.getRss().getUrls().forEach(u -> ports.add(urlPort(u)));
      case REDDIT, X -> ports.add(443);
      case REPLAY -> { }
    }
    return List.copyOf(ports);
  }

  private static int urlPort(String url) {
    try {
      URI uri = new URI(url);
      return uri.getPort() > 0 ? uri.getPort() : "http".equalsIgnoreCase(uri.getScheme()) ? 80 : 443;
    } catch (java.net.URISyntaxException e) {
      return url.regionMatches(true, 0, "http:", 0, 5) ? 80 : 443;
    }
  }

  private static LabelSelector selector(Map<String, String> labels) {
    return new LabelSelectorBuilder().withMatchLabels(labels).build();
  }

  private static NetworkPolicyPeer peer(Map<String, String> pods) {
    return new NetworkPolicyPeerBuilder().withPodSelector(selector(pods)).build();
  }

  private static List<NetworkPolicyPort> tcp(List<Integer> ports) {
    return ports.stream().map(port -> new NetworkPolicyPortBuilder().withProtocol("TCP")
        .withPort(new IntOrString(port)).build()).toList();
  }

  private static NetworkPolicyEgressRule dns() {
    return new NetworkPolicyEgressRuleBuilder().withPorts(
        new NetworkPolicyPortBuilder().withProtocol("UDP").withPort(new IntOrString(DNS_PORT)).build(),
        new NetworkPolicyPortBuilder().withProtocol("TCP").withPort(new IntOrString(DNS_PORT)).build()).build();
  }

  /** Out to any address on these TCP ports (services that may live outside the namespace or the cluster). */
  private static NetworkPolicyEgressRule toAnywhere(List<Integer> ports) {
    return new NetworkPolicyEgressRuleBuilder().withPorts(tcp(ports)).build();
  }

  /** Out to the namespace's pods with these labels, on these TCP ports (every port when empty). */
  private static NetworkPolicyEgressRule toPods(Map<String, String> pods, List<Integer> ports) {
    return new NetworkPolicyEgressRuleBuilder().withTo(peer(pods)).withPorts(tcp(ports)).build();
  }

  private static NetworkPolicyIngressRule fromPods(Map<String, String> pods, List<Integer> ports) {
    return from(List.of(peer(pods)), ports);
  }

  private static NetworkPolicyIngressRule from(List<NetworkPolicyPeer> peers, List<Integer> ports) {
    return new NetworkPolicyIngressRuleBuilder().withFrom(peers).withPorts(tcp(ports)).build();
  }

  /** Prometheus pods in any namespace, on the metrics port. */
  private static NetworkPolicyIngressRule fromPrometheus(List<Integer> ports) {
    return from(List.of(new NetworkPolicyPeerBuilder()
        .withNamespaceSelector(new LabelSelector())
        .withPodSelector(selector(Map.of("app.kubernetes.io/name", "prometheus"))).build()), ports);
  }
}
