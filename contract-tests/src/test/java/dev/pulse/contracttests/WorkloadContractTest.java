package dev.pulse.contracttests;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pulse.contract.ConfigOption;
import dev.pulse.contract.IngestConfig;
import dev.pulse.contract.SparkJobOptions;
import dev.pulse.dashboard.config.DashboardProperties;
import dev.pulse.operator.cli.Renderer;
import dev.pulse.operator.feed.IngesterConfig;
import dev.pulse.operator.pipeline.spark.SparkApplication;
import dev.pulse.operator.support.PulseImages;
import dev.pulse.stream.PipelineSettings;
import dev.pulse.testing.Samples;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.core.env.MutablePropertySources;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/**
 * The contract between the operator and its workloads, end to end: every sample of config/samples rendered by the
 * operator's own renderer (what the reconcilers apply), and what it gives each workload read by that workload's own
 * reader — the SparkApplication's sparkConf by the Spark job's {@link PipelineSettings#from}, each ingester's
 * ConfigMap by the ingester's {@link IngestConfig}, the dashboard's environment by Spring's binding of its
 * {@link DashboardProperties}. A key the operator writes that the job does not declare, a value the job would reject,
 * a declared setting no sample exercises, or a dashboard reading other topics than its job writes fails here.
 */
class WorkloadContractTest {
  /** The job's own settings, with defaults, that the operator does not write (tuning of the job itself). */
  private static final Set<ConfigOption<?>> JOB_ONLY = Set.of(SparkJobOptions.LLM_BATCH_SIZE,
      SparkJobOptions.QDRANT_BATCH_SIZE, SparkJobOptions.AGGREGATES_LATENESS, SparkJobOptions.EMBEDDING_MODEL,
      SparkJobOptions.EMBEDDING_MAX_TOKENS, SparkJobOptions.EMBEDDING_CACHE_SIZE, SparkJobOptions.DEDUP_MAX_IDS);

  private static List<HasMetadata> render(Path dir) throws Exception {
    Renderer renderer = new Renderer(PulseImages.defaults(), "team-a", new PrintStream(OutputStream.nullOutputStream()));
    return renderer.objects(renderer.read(dir));
  }

  @Test
  void everySamplesSparkConfIsReadByTheJobAndCoversEverySetting() throws Exception {
    Set<String> declared = new HashSet<>();
    SparkJobOptions.ALL.forEach(o -> declared.add(o.key()));
    Set<String> written = new HashSet<>();
    int apps = 0;
    for (Path dir : List.of(Samples.dir(), Samples.minimalDir())) {
      for (HasMetadata o : render(dir)) {
        if (!(o instanceof SparkApplication app)) continue;
        apps++;
        Map<String, String> conf = app.getSpec().getSparkConf();
        PipelineSettings s = PipelineSettings.from(conf);
        assertThat(conf.keySet()).filteredOn(k -> k.startsWith(SparkJobOptions.PREFIX))
            .as("spark.pulse.* keys of %s that the job does not declare", app.getMetadata().getName())
            .allMatch(declared::contains);
        for (ConfigOption<?> option : SparkJobOptions.ALL) {
          if (option.isRequired()) assertThat(conf).as(app.getMetadata().getName()).containsKey(option.key());
        }
        assertThat(s.pipeline()).isEqualTo(conf.get("spark.pulse.pipeline"));
        assertThat(s.inputTopics()).isNotEmpty();
        written.addAll(conf.keySet());
      }
    }
    assertThat(apps).as("SparkApplications rendered from the samples").isGreaterThanOrEqualTo(2);
    List<String> unexercised = new ArrayList<>();
    for (ConfigOption<?> option : SparkJobOptions.ALL) {
      if (!JOB_ONLY.contains(option) && !written.contains(option.key())) unexercised.add(option.key());
    }
    assertThat(unexercised).as("settings the operator declares but no sample makes it write").isEmpty();
  }

  @Test
  void everyDashboardReadsTheTopicsItsJobWrites() throws Exception {
    int dashboards = 0;
    int brandedDashboards = 0;
    int strimziLabelled = 0;
    for (Path dir : List.of(Samples.dir(), Samples.minimalDir())) {
      List<HasMetadata> objects = render(dir);
      Map<String, Map<String, String>> jobs = new java.util.HashMap<>();
      Map<String, Set<String>> strimziTopics = new java.util.HashMap<>(); // pipeline → its KafkaTopics' topics
      for (HasMetadata o : objects) {
        if (o instanceof SparkApplication app) {
          jobs.put(app.getSpec().getSparkConf().get("spark.pulse.pipeline"), app.getSpec().getSparkConf());
        }
        if (o instanceof io.strimzi.api.kafka.model.topic.KafkaTopic t) {
          t.getMetadata().getOwnerReferences().stream().filter(r -> r.getKind().equals("SentimentPipeline"))
              .forEach(r -> strimziTopics.computeIfAbsent(r.getName(), n -> new HashSet<>())
                  .add(t.getSpec().getTopicName()));
        }
      }
      for (HasMetadata o : objects) {
        if (!(o instanceof Deployment d)) continue;
        Map<String, Object> env = new java.util.HashMap<>();
        for (EnvVar e : d.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv()) {
          if (e.getName().startsWith("PULSE_DASHBOARD_") && e.getValue() != null) env.put(e.getName(), e.getValue());
        }
        if (env.isEmpty()) continue;
        dashboards++;
        MutablePropertySources sources = new MutablePropertySources();
        sources.addFirst(new SystemEnvironmentPropertySource("systemEnvironment", env));
        DashboardProperties p = new Binder(ConfigurationPropertySources.from(sources))
            .bindOrCreate("pulse.dashboard", DashboardProperties.class);
        if (!p.brands().isEmpty()) brandedDashboards++;
        Map<String, String> job = jobs.get(p.pipeline());
        assertThat(job).as("the SparkApplication of the dashboard's pipeline %s", p.pipeline()).isNotNull();
        assertThat(p.local()).isFalse();
        assertThat(p.kafka().bootstrapServers()).isEqualTo(job.get("spark.pulse.kafka.bootstrapServers"));
        assertThat(List.of(p.scoredTopic(), p.aggregatesTopic(), p.alertsTopic())).containsExactly(
            job.get("spark.pulse.topics.scored"), job.get("spark.pulse.topics.aggregates"),
            job.get("spark.pulse.topics.alerts"));
        // The labelled topic has no setting: the dashboard (analysts' corrections) and the job (the LLM's
        // disagreements) derive it from the scored topic, and the operator creates that one (#21).
        String labelled = new dev.pulse.dashboard.labelled.LabelledTopicWriter(p).topic();
        assertThat(labelled).isEqualTo(dev.pulse.event.LabelledExamples.topicFor(job.get("spark.pulse.topics.scored")));
        if (strimziTopics.containsKey(p.pipeline())) {
          assertThat(strimziTopics.get(p.pipeline())).as("the pipeline's KafkaTopics (Strimzi)").contains(labelled);
          strimziLabelled++;
        }
        // Brands the CR declares reach the dashboard in a form its own catalogue reads.
        assertThat(dev.pulse.dashboard.brand.BrandCatalog.parse(p.brands()).names().size())
            .isEqualTo(p.brands().size());
        if (job.containsKey("spark.pulse.qdrant.host")) {
          assertThat(p.vectors().qdrant().host()).isEqualTo(job.get("spark.pulse.qdrant.host"));
          assertThat(p.vectors().qdrant().collection()).isEqualTo(job.get("spark.pulse.qdrant.collection"));
        }
      }
    }
    assertThat(dashboards).as("dashboard Deployments rendered from the samples").isGreaterThanOrEqualTo(1);
    assertThat(brandedDashboards).as("a sample declares dashboard brands").isGreaterThanOrEqualTo(1);
    assertThat(strimziLabelled).as("a sample's labelled topic checked against its KafkaTopic").isGreaterThanOrEqualTo(1);
  }

  /**
   * The gateway reads its settings from llm-gateway.properties, which names the PULSE_* variable behind each one
   * (its jar is a Spring Boot fat jar, so the file is read from the source tree). An environment name the operator
   * sets and the gateway does not read would leave that setting at its default, which these assertions catch.
   */
  @Test
  void everyGatewayReadsWhatTheOperatorGivesItAndServesWhereItsJobCalls() throws Exception {
    Path repo = Samples.dir().getParent().getParent();
    java.util.Properties app = new java.util.Properties();
    try (var in = java.nio.file.Files.newInputStream(
        repo.resolve("llm-runtime/src/main/resources/llm-gateway.properties"))) {
      app.load(in);
    }
    int gateways = 0;
    for (Path dir : List.of(Samples.dir(), Samples.minimalDir())) {
      List<HasMetadata> objects = render(dir);
      for (HasMetadata o : objects) {
        if (!(o instanceof Deployment d)) continue;
        Map<String, Object> env = new java.util.HashMap<>();
        for (EnvVar e : d.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv()) {
          if (e.getValue() != null) env.put(e.getName(), e.getValue());
        }
        if (!env.containsKey("PULSE_VLLM_BASE_URL")) continue;
        gateways++;
        org.springframework.core.env.StandardEnvironment gateway = new org.springframework.core.env.StandardEnvironment();
        gateway.getPropertySources().addFirst(new SystemEnvironmentPropertySource("pod", env));
        gateway.getPropertySources().addLast(new org.springframework.core.env.PropertiesPropertySource("app", app));
        String url = "http://" + d.getMetadata().getName() + "." + d.getMetadata().getNamespace() + ".svc:"
            + gateway.getProperty("server.port");
        Map<String, String> job = objects.stream().filter(x -> x instanceof SparkApplication)
            .map(x -> ((SparkApplication) x).getSpec().getSparkConf())
            .filter(c -> url.equals(c.get("spark.pulse.llm.gatewayUrl"))).findFirst().orElse(null);
        assertThat(job).as("a Spark job that calls the gateway at %s", url).isNotNull();
        PipelineSettings s = PipelineSettings.from(job);
        assertThat(gateway.getProperty("pulse.llm.base-url")).isEqualTo(env.get("PULSE_VLLM_BASE_URL"));
        assertThat(gateway.getProperty("pulse.llm.model")).isEqualTo(env.get("PULSE_LLM_MODEL"));
        assertThat(gateway.getProperty("pulse.qdrant.host")).isEqualTo(s.qdrantHost());
        assertThat(gateway.getProperty("pulse.qdrant.collection")).isEqualTo(s.qdrantCollection());
        assertThat(gateway.getProperty("pulse.qdrant.port")).isEqualTo(String.valueOf(s.qdrantPort()));
        // Retrieval embeds with the model that embedded the collection's points: the job's (int8 by default).
        assertThat(gateway.getProperty("pulse.rag.embedding-model"))
            .isEqualTo(s.embedding().quantized() ? "all-minilm-l6-v2-q" : "all-minilm-l6-v2");
      }
    }
    assertThat(gateways).as("gateway Deployments rendered from the samples").isGreaterThanOrEqualTo(1);
  }

  @Test
  void everySamplesIngesterConfigIsReadByTheIngester() throws Exception {
    int configs = 0;
    for (Path dir : List.of(Samples.dir(), Samples.minimalDir())) {
      for (HasMetadata o : render(dir)) {
        if (!(o instanceof ConfigMap cm) || cm.getData() == null
            || !cm.getData().containsKey(IngesterConfig.FILE_NAME)) {
          continue;
        }
        configs++;
        IngestConfig config = IngestConfig.parse(cm.getData().get(IngesterConfig.FILE_NAME));
        config.validate();
        assertThat(config.kafka().topic()).as(cm.getMetadata().getName()).isNotBlank();
      }
    }
    assertThat(configs).as("ingester ConfigMaps rendered from the samples").isGreaterThanOrEqualTo(4);
  }
}
