package dev.pulse.operator.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pulse.crd.common.PulseCondition;
import dev.pulse.crd.v1alpha1.ModelAdapterStatus;
import dev.pulse.crd.v1alpha1.SentimentPipeline;
import dev.pulse.crd.v1alpha1.SentimentPipelineStatus;
import dev.pulse.crd.v1alpha1.SourceFeed;
import dev.pulse.crd.v1alpha1.SourceFeedSpec;
import dev.pulse.crd.v1alpha1.feed.FeedKafka;
import dev.pulse.operator.pipeline.PipelineConditions.LlmWait;
import dev.pulse.operator.pipeline.spark.SparkApplication;
import dev.pulse.operator.pipeline.spark.SparkApplicationStatus;
import dev.pulse.operator.pipeline.spark.sparkapplicationstatus.ApplicationState;
import dev.pulse.operator.qdrant.CollectionCheck;
import dev.pulse.operator.support.Conditions;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Each part's condition from what its controller reports, without a cluster. */
class PipelineConditionsTest {

  private final SentimentPipeline pipeline = PipelineFixtures.northwind("brands");

  private static SourceFeed feed(String name, String cluster) {
    SourceFeed f = new SourceFeed();
    f.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace("brands").build());
    SourceFeedSpec spec = new SourceFeedSpec();
    FeedKafka kafka = new FeedKafka();
    kafka.setClusterName(cluster);
    spec.setKafka(kafka);
    f.setSpec(spec);
    return f;
  }

  private static SparkApplication app(String state, String error) {
    SparkApplication app = new SparkApplication();
    app.setMetadata(new ObjectMetaBuilder().withName("northwind-stream").build());
    if (state != null) {
      SparkApplicationStatus s = new SparkApplicationStatus();
      ApplicationState applicationState = new ApplicationState();
      applicationState.setState(state);
      applicationState.setErrorMessage(error);
      s.setApplicationState(applicationState);
      app.setStatus(s);
    }
    return app;
  }

  @Test
  void aFeedIsOnAnotherKafkaWhenItWritesToAnotherAddressWhateverTheWayItNamesIt() {
    SourceFeed byAddress = feed("by-address", null);
    byAddress.getSpec().getKafka().setBootstrapServers("pulse-kafka-kafka-bootstrap:9092");
    SourceFeed elsewhere = feed("elsewhere", null);
    elsewhere.getSpec().getKafka().setBootstrapServers("other-kafka:9092");
    FeedResolution feeds = FeedResolution.of(pipeline, List.of(feed("news", "pulse-kafka"), byAddress, elsewhere,
        feed("other", "other-cluster")), List.of());
    assertThat(feeds.otherCluster()).containsExactly("elsewhere", "other");
    PulseCondition topics = PipelineConditions.topics(pipeline, feeds, List.of());
    assertThat(topics.getReason()).isEqualTo("FeedOnOtherCluster");
    assertThat(topics.getMessage()).contains("elsewhere, other").contains("pulse-kafka-kafka-bootstrap:9092");
  }

  @Test
  void onAKafkaWithoutStrimziAnUnreachableKafkaComesFirstThenTheFeedsThenEachTopic() {
    FeedResolution none = FeedResolution.of(pipeline, List.of(), List.of());
    FeedResolution news = FeedResolution.of(pipeline, List.of(feed("news", "pulse-kafka")), List.of());
    var unreachable = dev.pulse.operator.kafka.TopicsOutcome.failed("k:9092", "KafkaUnreachable", "no answer");
    assertThat(PipelineConditions.topics(pipeline, none, unreachable).getReason()).isEqualTo("KafkaUnreachable");
    var shrink = new dev.pulse.operator.kafka.TopicsOutcome("k:9092", null, List.of(
        new dev.pulse.operator.kafka.TopicsOutcome.TopicResult("a", true, "TopicReady", "ok", 6, 3),
        new dev.pulse.operator.kafka.TopicsOutcome.TopicResult("b", false, "PartitionsNotReduced", "has 6", 6, 3)),
        List.of());
    assertThat(PipelineConditions.topics(pipeline, none, shrink).getReason()).isEqualTo("NoFeeds");
    assertThat(PipelineConditions.topics(pipeline, news, shrink).getReason()).isEqualTo("PartitionsNotReduced");
    var ready = new dev.pulse.operator.kafka.TopicsOutcome("k:9092", null, List.of(
        new dev.pulse.operator.kafka.TopicsOutcome.TopicResult("a", true, "TopicReady", "ok", 6, 3)), List.of());
    PulseCondition ok = PipelineConditions.topics(pipeline, news, ready);
    assertThat(ok.holds()).isTrue();
    assertThat(ok.getMessage()).contains("k:9092").contains("Kafka Admin API");
  }

  @Test
  void anAbsentStrimziOrSparkOperatorIsAWarningThatSaysWhatToInstall() {
    PulseCondition strimzi = PipelineConditions.strimziNotInstalled(pipeline);
    assertThat(strimzi.getReason()).isEqualTo("StrimziNotInstalled");
    assertThat(strimzi.getMessage()).contains("install Strimzi >= 0.49 or set kafka.bootstrapServers");
    PulseCondition spark = PipelineConditions.sparkOperatorNotInstalled(pipeline);
    assertThat(spark.getReason()).isEqualTo("SparkOperatorNotInstalled");
    assertThat(spark.getMessage()).contains("spark.jobNamespaces").contains("brands");
    assertThat(Conditions.eventType(spark)).isEqualTo("Warning");
    assertThat(Conditions.ready(List.of(spark, Conditions.of("Dashboard", false, "DashboardProgressing", "wait")), "ok")
        .getReason()).as("what a person must act on comes before what is on its way").isEqualTo("SparkOperatorNotInstalled");
  }

  @Test
  void sparkStatesBecomeActionableConditions() {
    FeedResolution feeds = FeedResolution.of(pipeline, List.of(feed("news", "pulse-kafka")), List.of());
    assertThat(PipelineConditions.spark(pipeline, feeds, app("RUNNING", null)).holds()).isTrue();
    assertThat(PipelineConditions.spark(pipeline, feeds, app(null, null)).getReason()).isEqualTo("SparkPending");
    // No state long after creation: no spark-operator watches the namespace (its jobNamespaces).
    SparkApplication stale = app(null, null);
    stale.getMetadata().setCreationTimestamp("2026-12-06T08:00:00Z");
    assertThat(PipelineConditions.spark(pipeline, feeds, stale, java.time.Instant.parse("2026-12-06T08:02:00Z"))
        .getReason()).isEqualTo("SparkPending");
    PulseCondition unobserved = PipelineConditions.spark(pipeline, feeds, stale,
        java.time.Instant.parse("2026-12-06T08:05:00Z"));
    assertThat(unobserved.getReason()).isEqualTo("SparkApplicationUnobserved");
    assertThat(unobserved.getMessage()).contains("spark.jobNamespaces").contains("2026-12-06T08:00:00Z")
        .contains("Native");
    // The same a minute later: a message that moved with the clock would be a status write at every resync.
    assertThat(PipelineConditions.spark(pipeline, feeds, stale, java.time.Instant.parse("2026-12-06T08:06:00Z"))
        .sameStateAs(unobserved)).isTrue();
    SparkApplication running = app("RUNNING", null);
    running.getMetadata().setCreationTimestamp("2026-12-06T08:00:00Z");
    assertThat(PipelineConditions.spark(pipeline, feeds, running, java.time.Instant.parse("2026-12-06T09:00:00Z"))
        .holds()).isTrue();
    PulseCondition failed = PipelineConditions.spark(pipeline, feeds, app("FAILED", "driver OOMKilled"));
    assertThat(failed.getReason()).isEqualTo("SparkFailed");
    assertThat(failed.getMessage()).contains("driver OOMKilled").contains("kubectl logs northwind-stream-driver");
    assertThat(PipelineConditions.phase(pipeline, false, app("FAILED", null))).isEqualTo(SentimentPipelineStatus.Phase.Failed);
    assertThat(PipelineConditions.phase(pipeline, false, app("RUNNING", null))).isEqualTo(SentimentPipelineStatus.Phase.Degraded);
    FeedResolution none = FeedResolution.of(pipeline, List.of(), List.of());
    assertThat(PipelineConditions.spark(pipeline, none, app(null, null)).getReason()).isEqualTo("WaitingForFeeds");
  }

  @Test
  void feedsOnAnotherKafkaClusterAreNotRead() {
    FeedResolution feeds = FeedResolution.of(pipeline,
        List.of(feed("news", "pulse-kafka"), feed("elsewhere", "other-kafka")), List.of());
    assertThat(feeds.topics()).containsExactly("pulse.feed.brands.news");
    PulseCondition topics = PipelineConditions.topics(pipeline, feeds, List.of());
    assertThat(topics.getReason()).isEqualTo("FeedOnOtherCluster");
    assertThat(topics.getMessage()).contains("elsewhere").contains("pulse-kafka");
  }

  @Test
  void theAdapterHoldsTheLlmBackWithItsPhase() {
    assertThat(LlmWait.forAdapter("a", null).reason()).isEqualTo("AdapterNotFound");
    LlmWait failed = LlmWait.forAdapter("a", PipelineFixtures.adapter("brands", ModelAdapterStatus.Phase.Failed, null));
    assertThat(failed.reason()).isEqualTo("AdapterNotReady");
    assertThat(failed.message()).contains("Failed").contains("kubectl describe modeladapter a");
    assertThat(LlmWait.forAdapter("a", PipelineFixtures.adapter("brands", ModelAdapterStatus.Phase.Succeeded, "pvc://c/p")))
        .isNull();
  }

  @Test
  void anAdapterTrainedOnAnotherBaseModelHoldsTheLlmBack() {
    var trained = PipelineFixtures.adapter("brands", ModelAdapterStatus.Phase.Succeeded, "pvc://c/p");
    String base = trained.getSpec().getBaseModel().getName();
    assertThat(LlmWait.forAdapter("a", trained, base)).as("the sample pair matches").isNull();
    LlmWait mismatch = LlmWait.forAdapter("a", trained, "microsoft/phi-2");
    assertThat(mismatch.reason()).isEqualTo(PipelineConditions.BASE_MODEL_MISMATCH);
    assertThat(mismatch.message()).contains(base).contains("microsoft/phi-2").contains("spec.llm.baseModel");
    assertThat(LlmWait.forAdapter("a", trained, null)).as("llama.cpp: a GGUF file, not checked").isNull();
    assertThat(dev.pulse.operator.support.Conditions.eventType(dev.pulse.operator.support.Conditions.of(
        PipelineConditions.LLM, false, mismatch.reason(), mismatch.message()))).isEqualTo("Warning");
  }

  @Test
  void aServedAdapterOnReadWriteOnceStorageSaysWhyItsRetrainCanHang() {
    var adapter = PipelineFixtures.adapter("brands", ModelAdapterStatus.Phase.Succeeded, "pvc://pulse-adapters/a/1");
    var available = new io.fabric8.kubernetes.api.model.apps.DeploymentBuilder().withNewSpec().withReplicas(1)
        .endSpec().withNewStatus().withAvailableReplicas(1).endStatus().build();
    PulseCondition shared = PipelineConditions.llm(pipeline, null, available, available,
        PipelineFixtures.inputs(adapter));
    assertThat(shared.getReason()).isEqualTo("Serving");
    assertThat(shared.getMessage()).doesNotContain("retrain");

    adapter.getStatus().setConditions(List.of(Conditions.of(dev.pulse.operator.adapter.AdapterStorage.STORAGE, false,
        "ReadWriteOnceStorage", "PersistentVolumeClaim pulse-adapters is ReadWriteOnce, not ReadWriteMany")));
    PulseCondition once = PipelineConditions.llm(pipeline, null, available, available,
        PipelineFixtures.inputs(adapter));
    assertThat(once.holds()).as("serving works; only the next retrain is at risk").isTrue();
    assertThat(once.getMessage()).contains("A retrain may hang: PersistentVolumeClaim pulse-adapters is ReadWriteOnce");
  }

  @Test
  void theLlmServerRollsOutWithoutLosingAServingPod() {
    var p = PipelineFixtures.northwind("ns");
    for (boolean llamaCpp : List.of(false, true)) {
      if (llamaCpp) {
        p.getSpec().getLlm().setEngine(dev.pulse.crd.v1alpha1.pipeline.LlmSpec.Engine.LLAMACPP);
      }
      var d = VllmServer.deployment(p, PipelineDefaults.llm(p), PipelineFixtures.inputs(null));
      var rolling = d.getSpec().getStrategy().getRollingUpdate();
      assertThat(rolling.getMaxUnavailable().getIntVal()).as("llama.cpp " + llamaCpp).isZero();
      assertThat(rolling.getMaxSurge().getIntVal()).isEqualTo(1);
    }
  }

  @Test
  void readyNamesThePartToActOnAndIgnoresMonitoring() {
    List<PulseCondition> parts = List.of(
        PipelineConditions.of(PipelineConditions.TOPICS, true, "TopicsReady", "ok"),
        PipelineConditions.of(PipelineConditions.SPARK, false, "SparkPending", "waiting"),
        PipelineConditions.vectorStore(new CollectionCheck.Drift("c", "vector size is 768, spec says 384")),
        PipelineConditions.monitoring(pipeline, RenderInputs.MonitoringSupport.NONE));
    PulseCondition ready = Conditions.ready(PipelineConditions.readinessParts(parts), "ready");
    assertThat(ready.getReason()).as("a Warning before a pending part").isEqualTo("CollectionDrift");
    PulseCondition allButMonitoring = Conditions.ready(PipelineConditions.readinessParts(List.of(
        PipelineConditions.of(PipelineConditions.TOPICS, true, "TopicsReady", "ok"),
        PipelineConditions.monitoring(pipeline, RenderInputs.MonitoringSupport.NONE))), "ready");
    assertThat(allButMonitoring.holds()).isTrue();
  }
}
