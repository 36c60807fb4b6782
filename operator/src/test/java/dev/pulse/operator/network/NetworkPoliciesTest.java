package dev.pulse.operator.network;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pulse.crd.v1alpha1.SentimentPipeline;
import dev.pulse.crd.v1alpha1.SourceFeed;
import dev.pulse.operator.feed.SourceFeedObjects;
import dev.pulse.operator.pipeline.RenderInputs;
import dev.pulse.operator.pipeline.SentimentPipelineObjects;
import dev.pulse.testing.Samples;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyEgressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The policies as a pure function of the samples: who selects which pods and which flows each allows. */
class NetworkPoliciesTest {

  static SentimentPipeline pipeline(String file) {
    SentimentPipeline p = Serialization.unmarshal(Serialization.asYaml(file.contains("/")
        ? Samples.load(Path.of(Samples.dir().toString(), file)).stream()
            .filter(r -> r.getKind().equals("SentimentPipeline")).findFirst().orElseThrow()
        : Samples.first(file, "SentimentPipeline")), SentimentPipeline.class);
    p.getMetadata().setNamespace("team-a");
    p.getMetadata().setUid("00000000-0000-0000-0000-000000000001");
    return p;
  }

  static SourceFeed feed(String file) {
    SourceFeed f = Serialization.unmarshal(Serialization.asYaml(Samples.first(file, "SourceFeed")), SourceFeed.class);
    f.getMetadata().setNamespace("team-a");
    f.getMetadata().setUid("00000000-0000-0000-0000-000000000002");
    return f;
  }

  private static NetworkPolicy named(List<NetworkPolicy> policies, String suffix) {
    return policies.stream().filter(n -> n.getMetadata().getName().endsWith(suffix)).findFirst()
        .orElseThrow(() -> new AssertionError("no policy *" + suffix + " in " + policies.stream()
            .map(n -> n.getMetadata().getName()).toList()));
  }

  private static Set<String> ports(List<NetworkPolicyPort> ports) {
    return ports.stream().map(p -> p.getProtocol() + "/" + p.getPort().getValue()).collect(Collectors.toSet());
  }

  private static Set<String> egressPorts(NetworkPolicy n) {
    return n.getSpec().getEgress().stream().flatMap(r -> ports(r.getPorts()).stream()).collect(Collectors.toSet());
  }

  @Test
  void everyWorkloadOfTheFullSampleHasAPolicyThatSelectsExactlyItsPods() {
    SentimentPipeline p = pipeline("sentimentpipeline-northwind.yaml");
    List<NetworkPolicy> policies = NetworkPolicies.forPipeline(p);
    assertThat(policies).extracting(n -> n.getMetadata().getName())
        .containsExactly("northwind-spark-net", "northwind-llm-gateway-net", "northwind-vllm-net",
            "northwind-dashboard-net");
    List<HasMetadata> objects = SentimentPipelineObjects.desired(p,
        RenderInputs.of(null, List.of("pulse.feed.team-a.northwind-news"), null));
    List<PodTemplateSpec> templates = objects.stream().filter(Deployment.class::isInstance)
        .map(d -> ((Deployment) d).getSpec().getTemplate()).toList();
    for (NetworkPolicy n : policies) {
      assertThat(n.getSpec().getPolicyTypes()).containsExactly("Ingress", "Egress");
      assertThat(n.getMetadata().getOwnerReferences()).singleElement()
          .satisfies(o -> assertThat(o.getName()).isEqualTo("northwind"));
      Map<String, String> selector = n.getSpec().getPodSelector().getMatchLabels();
      long selected = templates.stream()
          .filter(t -> t.getMetadata().getLabels().entrySet().containsAll(selector.entrySet())).count();
      // The Spark policy selects the driver (native launcher) here; every other one exactly its Deployment's pods.
      assertThat(selected).as(n.getMetadata().getName()).isGreaterThanOrEqualTo(
          n.getMetadata().getName().endsWith("spark-net") ? 0 : 1);
      assertThat(egressPorts(n)).as("DNS for " + n.getMetadata().getName()).contains("UDP/53", "TCP/53");
    }
  }

  @Test
  void onlyTheSparkJobAndTheDashboardReachTheGatewayAndOnlyTheGatewayReachesTheLlm() {
    SentimentPipeline p = pipeline("sentimentpipeline-northwind.yaml");
    List<NetworkPolicy> policies = NetworkPolicies.forPipeline(p);
    NetworkPolicy gateway = named(policies, "llm-gateway-net");
    NetworkPolicyIngressRule callers = gateway.getSpec().getIngress().get(0);
    assertThat(ports(callers.getPorts())).containsExactly("TCP/8090");
    assertThat(callers.getFrom()).extracting(f -> f.getPodSelector().getMatchLabels().get("app.kubernetes.io/component"))
        .containsExactly("spark", "dashboard");
    assertThat(callers.getFrom()).allSatisfy(f -> assertThat(f.getNamespaceSelector()).isNull());
    assertThat(egressPorts(gateway)).containsExactlyInAnyOrder("UDP/53", "TCP/53", "TCP/8000", "TCP/6334");

    NetworkPolicy llm = named(policies, "vllm-net");
    assertThat(llm.getSpec().getIngress().get(0).getFrom()).singleElement()
        .satisfies(f -> assertThat(f.getPodSelector().getMatchLabels()).containsEntry("app.kubernetes.io/component",
            "llm-gateway"));
    // Prometheus may scrape; it is matched by its label in any namespace.
    assertThat(llm.getSpec().getIngress().get(1).getFrom().get(0).getNamespaceSelector()).isNotNull();

    NetworkPolicy spark = named(policies, "spark-net");
    assertThat(egressPorts(spark)).contains("TCP/9092", "TCP/443", "TCP/6443", "TCP/8090", "TCP/6334");
    NetworkPolicyEgressRule toGateway = spark.getSpec().getEgress().stream()
        .filter(r -> ports(r.getPorts()).equals(Set.of("TCP/8090"))).findFirst().orElseThrow();
    assertThat(toGateway.getTo()).singleElement().satisfies(t -> assertThat(t.getPodSelector().getMatchLabels())
        .containsEntry("app.kubernetes.io/component", "llm-gateway"));

    NetworkPolicy dashboard = named(policies, "dashboard-net");
    assertThat(dashboard.getSpec().getIngress()).singleElement().satisfies(r -> {
      assertThat(r.getFrom()).isNullOrEmpty();
      assertThat(ports(r.getPorts())).containsExactly("TCP/8080");
    });
    assertThat(egressPorts(dashboard)).contains("TCP/9092", "TCP/443", "TCP/8090", "TCP/6334");
  }

  @Test
  void partsThatAreOffHaveNoPolicyAndNobodyIsAllowedToReachThem() {
    SentimentPipeline p = pipeline("minimal/sentimentpipeline.yaml");
    List<NetworkPolicy> policies = NetworkPolicies.forPipeline(p);
    assertThat(policies).noneMatch(n -> n.getMetadata().getName().contains("gateway")
        || n.getMetadata().getName().contains("vllm"));
    assertThat(egressPorts(named(policies, "spark-net"))).doesNotContain("TCP/8090");
  }

  @Test
  void anIngesterReachesKafkaAndItsSourceOnly() {
    NetworkPolicy rss = NetworkPolicies.forFeed(feed("sourcefeed-rss-news.yaml"));
    assertThat(rss.getSpec().getPodSelector().getMatchLabels())
        .containsEntry("app.kubernetes.io/component", SourceFeedObjects.COMPONENT);
    assertThat(egressPorts(rss)).contains("UDP/53", "TCP/443");
    assertThat(ports(rss.getSpec().getIngress().get(0).getPorts())).containsExactly("TCP/9404");

    NetworkPolicy replay = NetworkPolicies.forFeed(feed("sourcefeed-replay.yaml"));
    assertThat(egressPorts(replay)).doesNotContain("TCP/443", "TCP/80");
    assertThat(NetworkPolicies.forFeed(feed("sourcefeed-x.yaml")).getSpec().getEgress())
        .anySatisfy(r -> assertThat(ports(r.getPorts())).containsExactly("TCP/443"));
  }

  @Test
  void kafkaAndSourcePortsComeFromTheAddresses() {
    assertThat(NetworkPolicies.kafkaPorts("a:9093, b:9093,c")).containsExactly(9092, 9093);
    SourceFeed f = feed("sourcefeed-rss-news.yaml");
    f.getSpec().getRss().setUrls(List.of("http://intranet.example:8081/rss", "https://news.example/feed",
        "http://plain.example/rss"));
    assertThat(NetworkPolicies.sourcePorts(f.getSpec())).containsExactly(80, 443, 8081);
  }
}
