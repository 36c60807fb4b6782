package dev.pulse.operator.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.pulse.crd.v1alpha1.ModelAdapter;
import dev.pulse.crd.v1alpha1.SourceFeed;
import dev.pulse.crd.v1alpha1.SentimentPipeline;
import dev.pulse.operator.pipeline.spark.SparkApplication;
import dev.pulse.operator.reconcile.ModelAdapterReconciler;
import dev.pulse.operator.reconcile.SentimentPipelineReconciler;
import dev.pulse.operator.reconcile.SourceFeedReconciler;
import dev.pulse.testing.KubeApiServer;
import dev.pulse.testing.Samples;
import dev.pulse.testsupport.QdrantStandIn;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBuilder;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The Helm chart's ClusterRole is enough for what the three reconcilers call: they run here
 * as a ServiceAccount bound to exactly the chart's rules (impersonated on the real, RBAC-enforcing API server), and
 * every informer must start and every write succeed. A missing verb fails the operator's start or a step below.
 */
class ChartClusterRoleTest {

  private static final Path CLUSTER_ROLE = Path.of("..", "charts", "pulse-operator", "templates", "clusterrole.yaml");

  @Test
  void theReconcilersDoTheirWorkWithOnlyTheChartsClusterRole() throws Exception {
    KubeApiServer server = KubeApiServer.shared();
    KubernetesClient admin = server.client();
    String home = server.createNamespace("pulse-system");
    String roleName = "pulse-operator-" + home;
    admin.rbac().clusterRoles().resource(new ClusterRoleBuilder().withNewMetadata().withName(roleName).endMetadata()
        .withRules(chartRules()).build()).create();
    admin.rbac().clusterRoleBindings().resource(new ClusterRoleBindingBuilder().withNewMetadata().withName(roleName)
        .endMetadata().withNewRoleRef().withApiGroup("rbac.authorization.k8s.io").withKind("ClusterRole")
        .withName(roleName).endRoleRef().addNewSubject().withKind("ServiceAccount").withName("pulse-operator")
        .withNamespace(home).endSubject().build()).create();

    KubernetesClient asServiceAccount = new KubernetesClientBuilder().withConfig(new ConfigBuilder(server.clientConfig())
        .withImpersonateUsername("system:serviceaccount:" + home + ":pulse-operator")
        .withImpersonateGroups("system:serviceaccounts", "system:serviceaccounts:" + home, "system:authenticated")
        .build()).build();
    // Sanity: the impersonation works and RBAC is enforced (Secrets can be read by name only).
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> asServiceAccount.secrets().inNamespace(home).list())
        .hasMessageContaining("forbidden");

    try (RunningOperator operator = RunningOperator.startAs(asServiceAccount, new SourceFeedReconciler(),
        new ModelAdapterReconciler())) {
      String ns = server.createNamespace("rbac");
      admin.configMaps().inNamespace(ns).resource(new KubernetesSerialization().convertValue(
          Samples.first("sourcefeed-replay.yaml", "ConfigMap"), ConfigMap.class)).create();
      admin.secrets().inNamespace(ns).resource(new SecretBuilder().withNewMetadata().withName("hf-token").endMetadata()
          .addToStringData("token", "t").build()).create();
      admin.configMaps().inNamespace(ns).resource(new ConfigMapBuilder().withNewMetadata()
          .withName("northwind-labelled-posts").endMetadata().addToData("train.jsonl", "{}").build()).create();
      admin.genericKubernetesResources("pulse.dev/v1alpha1", "SourceFeed").inNamespace(ns)
          .resource(Samples.first("sourcefeed-replay.yaml", "SourceFeed")).create();
      admin.genericKubernetesResources("pulse.dev/v1alpha1", "ModelAdapter").inNamespace(ns)
          .resource(Samples.first("modeladapter-gemma.yaml", "ModelAdapter")).create();

      await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
        SourceFeed feed = admin.resources(SourceFeed.class).inNamespace(ns).withName("northwind-replay").get();
        assertThat(feed.getStatus()).isNotNull();
        assertThat(feed.getStatus().condition("Ingester").orElseThrow().getReason()).isEqualTo("IngesterPending");
        assertThat(admin.apps().deployments().inNamespace(ns).withName("northwind-replay-ingester").get()).isNotNull();
        assertThat(admin.services().inNamespace(ns).withName("northwind-replay-ingester").get()).isNotNull();
        assertThat(operator.eventsAbout(feed)).as("Events are written").isNotEmpty();
      });
      // A new generation of the adapter deletes the previous Job.
      await().atMost(Duration.ofSeconds(30)).until(
          () -> admin.batch().v1().jobs().inNamespace(ns).withName("northwind-gemma-sentiment-train-1").get() != null);
      admin.resources(ModelAdapter.class).inNamespace(ns).withName("northwind-gemma-sentiment")
          .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"lora\":{\"epochs\":1}}}");
      await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
        assertThat(admin.batch().v1().jobs().inNamespace(ns).withName("northwind-gemma-sentiment-train-2").get())
            .isNotNull();
        var first = admin.batch().v1().jobs().inNamespace(ns).withName("northwind-gemma-sentiment-train-1").get();
        assertThat(first == null || first.getMetadata().getDeletionTimestamp() != null).isTrue();
        ModelAdapter adapter = admin.resources(ModelAdapter.class).inNamespace(ns).withName("northwind-gemma-sentiment")
            .get();
        assertThat(adapter.getStatus().getObservedGeneration()).isEqualTo(2L);
      });
    } finally {
      asServiceAccount.close();
    }
  }

  @Test
  void thePipelineReconcilerDoesItsWorkWithOnlyTheChartsClusterRole() throws Exception {
    KubeApiServer server = KubeApiServer.shared();
    KubernetesClient admin = server.client();
    KubernetesClient asServiceAccount = serviceAccountWithChartRole(server, "pulse-system");
    // The ClusterRole the driver's RoleBinding refers to, as the chart installs it.
    if (admin.rbac().clusterRoles().withName("pulse-spark-driver").get() == null) {
      admin.rbac().clusterRoles().resource(new ClusterRoleBuilder().withNewMetadata().withName("pulse-spark-driver")
          .endMetadata().withRules(templateRules(SPARK_DRIVER_ROLE)).build()).create();
    }
    try (QdrantStandIn qdrant = new QdrantStandIn("qdrant-test-key");
        RunningOperator operator = RunningOperator.startAs(asServiceAccount, new SentimentPipelineReconciler())) {
      String ns = server.createNamespace("rbac-pipeline");
      for (String[] secret : new String[][] {{"qdrant-api", "api-key", "qdrant-test-key"}, {"hf-token", "token", "t"},
          {"pulse-dashboard-token", "token", "d"}}) {
        admin.secrets().inNamespace(ns).resource(new SecretBuilder().withNewMetadata().withName(secret[0]).endMetadata()
            .addToStringData(secret[1], secret[2]).build()).create();
      }
      admin.genericKubernetesResources("pulse.dev/v1alpha1", "SourceFeed").inNamespace(ns)
          .resource(Samples.first("sourcefeed-rss-news.yaml", "SourceFeed")).create();
      admin.genericKubernetesResources("pulse.dev/v1alpha1", "ModelAdapter").inNamespace(ns)
          .resource(Samples.first("modeladapter-gemma.yaml", "ModelAdapter")).create();
      var pipeline = Samples.first("sentimentpipeline-northwind.yaml", "SentimentPipeline");
      Samples.with(pipeline, "spec.vectorStore.host", "127.0.0.1");
      Samples.with(pipeline, "spec.vectorStore.grpcPort", qdrant.port());
      Samples.with(pipeline, "spec.vectorStore.collection", "rbac_" + ns.replace('-', '_'));
      admin.genericKubernetesResources("pulse.dev/v1alpha1", "SentimentPipeline").inNamespace(ns)
          .resource(pipeline).create();

      await().atMost(Duration.ofSeconds(45)).untilAsserted(() -> {
        assertThat(admin.resources(SparkApplication.class).inNamespace(ns).withName("northwind-stream").get())
            .isNotNull();
        assertThat(admin.rbac().roleBindings().inNamespace(ns).list().getItems()).hasSize(2);
        assertThat(admin.rbac().roles().inNamespace(ns).withName("northwind-dashboard").get())
            .as("the dashboard's Role, which the operator may grant only because it holds get on pipelines").isNotNull();
        assertThat(admin.network().v1().ingresses().inNamespace(ns).withName("northwind-dashboard").get()).isNotNull();
        assertThat(admin.genericKubernetesResources("monitoring.coreos.com/v1", "PrometheusRule").inNamespace(ns)
            .withName("northwind-pulse").get()).isNotNull();
        SentimentPipeline applied = admin.resources(SentimentPipeline.class).inNamespace(ns).withName("northwind").get();
        assertThat(applied.getStatus()).isNotNull();
        assertThat(applied.getStatus().condition("Ready").orElseThrow().getReason())
            .as("no part failed for lack of permission").isNotEqualTo("ReconcileError");
        assertThat(applied.getStatus().condition("VectorStore").orElseThrow().getStatus()).isEqualTo("True");
      });
    } finally {
      asServiceAccount.close();
    }
  }

  private static final Path SPARK_DRIVER_ROLE =
      Path.of("..", "charts", "pulse-operator", "templates", "spark-driver-clusterrole.yaml");

  /** A client acting as a ServiceAccount bound to exactly the chart's operator ClusterRole. */
  private static KubernetesClient serviceAccountWithChartRole(KubeApiServer server, String prefix) throws Exception {
    KubernetesClient admin = server.client();
    String home = server.createNamespace(prefix);
    String roleName = "pulse-operator-" + home;
    admin.rbac().clusterRoles().resource(new ClusterRoleBuilder().withNewMetadata().withName(roleName).endMetadata()
        .withRules(chartRules()).build()).create();
    admin.rbac().clusterRoleBindings().resource(new ClusterRoleBindingBuilder().withNewMetadata().withName(roleName)
        .endMetadata().withNewRoleRef().withApiGroup("rbac.authorization.k8s.io").withKind("ClusterRole")
        .withName(roleName).endRoleRef().addNewSubject().withKind("ServiceAccount").withName("pulse-operator")
        .withNamespace(home).endSubject().build()).create();
    return new KubernetesClientBuilder().withConfig(new ConfigBuilder(server.clientConfig())
        .withImpersonateUsername("system:serviceaccount:" + home + ":pulse-operator")
        .withImpersonateGroups("system:serviceaccounts", "system:serviceaccounts:" + home, "system:authenticated")
        .build()).build();
  }

  /** The rules of the chart's template (the part below {@code rules:} is plain YAML). */
  static List<PolicyRule> chartRules() throws Exception {
    return templateRules(CLUSTER_ROLE);
  }

  private static List<PolicyRule> templateRules(Path file) throws Exception {
    String template = Files.readString(file);
    String rules = template.substring(template.indexOf("\nrules:") + 1);
    assertThat(rules).doesNotContain("{{");
    ClusterRole role = new KubernetesSerialization().unmarshal(
        "apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata: {name: x}\n" + rules, ClusterRole.class);
    assertThat(role.getRules()).isNotEmpty();
    return role.getRules();
  }

  @Test
  void secretsAreOnlyReadByNameNeverListedOrWatched() throws Exception {
    assertThat(chartRules()).filteredOn(r -> r.getResources().contains("secrets"))
        .allSatisfy(r -> assertThat(r.getVerbs()).containsExactly("get", "create")); // create: the gateway token
    assertThat(chartRules()).noneSatisfy(r -> assertThat(r.getVerbs()).contains("*"));
    assertThat(Arrays.asList("deployments", "jobs", "kafkatopics"))
        .allSatisfy(kind -> assertThat(chartRules()).anySatisfy(r -> assertThat(r.getResources()).contains(kind)));
  }
}
