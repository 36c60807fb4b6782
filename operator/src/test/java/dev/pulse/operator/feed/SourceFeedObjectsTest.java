package dev.pulse.operator.feed;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pulse.crd.v1alpha1.SourceFeed;
import dev.pulse.operator.support.PulseImages;
import dev.pulse.testing.Samples;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SourceFeedObjectsTest {

  private static final KubernetesSerialization JSON = new KubernetesSerialization();

  @ParameterizedTest
  @ValueSource(strings = {"sourcefeed-rss-news.yaml", "sourcefeed-reddit.yaml", "sourcefeed-x.yaml", "sourcefeed-replay.yaml"})
  void everyIngesterRunsRestrictedWithWritableScratchAndCredentialsOnlyFromSecrets(String sample) {
    SourceFeed feed = feed(sample);
    Deployment deployment = SourceFeedObjects.ingester(feed, PulseImages.defaults());
    var pod = deployment.getSpec().getTemplate().getSpec();
    Container container = pod.getContainers().get(0);

    assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
    assertThat(pod.getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
    assertThat(container.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
    assertThat(container.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
    assertThat(container.getResources().getRequests()).containsKeys("cpu", "memory");
    assertThat(container.getResources().getLimits()).containsKeys("cpu", "memory");
    assertThat(container.getLivenessProbe().getHttpGet().getPort().getStrVal()).isEqualTo("metrics");
    assertThat(container.getReadinessProbe()).isNotNull();
    assertThat(container.getVolumeMounts()).extracting(m -> m.getMountPath())
        .contains("/tmp", "/var/lib/pulse", "/etc/pulse");
    assertThat(container.getEnv()).filteredOn(e -> e.getName().matches("REDDIT_.*|X_BEARER_TOKEN"))
        .allSatisfy(e -> {
          assertThat(e.getValue()).as("no literal credential").isNull();
          assertThat(e.getValueFrom().getSecretKeyRef()).isNotNull();
        });
    assertThat(IngesterConfig.yaml(feed)).doesNotContainIgnoringCase("secret").doesNotContain("token");
  }

  @Test
  void redditCredentialsComeFromTheNamedSecretUnderTheDefaultKeys() {
    Container container = SourceFeedObjects.ingester(feed("sourcefeed-reddit.yaml"), PulseImages.defaults())
        .getSpec().getTemplate().getSpec().getContainers().get(0);
    assertThat(container.getEnv()).filteredOn(e -> e.getValueFrom() != null)
        .extracting(e -> e.getName() + "=" + e.getValueFrom().getSecretKeyRef().getName() + "/"
            + e.getValueFrom().getSecretKeyRef().getKey())
        .containsExactly("REDDIT_CLIENT_ID=reddit-credentials/client-id",
            "REDDIT_CLIENT_SECRET=reddit-credentials/client-secret");
  }

  @Test
  void ingesterConfigIsThePipelineRuntimeFormat() {
    Map<String, Object> config = IngesterConfig.asMap(feed("sourcefeed-rss-news.yaml"));
    // The keys the ingester's IngestConfig (contract module) knows (it rejects unknown ones).
    assertThat(config.keySet()).isSubsetOf(List.of("feed", "type", "rss", "reddit", "x", "replay", "pollInterval",
        "filters", "kafka", "checkpointFile", "metricsPort", "backoff"));
    assertThat(config).containsEntry("type", "RSS").containsEntry("pollInterval", "2m").containsEntry("metricsPort", 9404);
    assertThat(IngesterConfig.yaml(feed("sourcefeed-rss-news.yaml"))).contains("""
        rss:
          feeds:
          - https://feeds.bbci.co.uk/news/business/rss.xml""");
  }

  /** spec.replay.loop was in the CRD but in no ingester config: a looping demo feed stopped after one pass. */
  @Test
  void aLoopingReplayTellsTheIngesterToLoop() throws Exception {
    SourceFeed feed = feed("sourcefeed-replay.yaml");
    assertThat(feed.getSpec().getReplay().getLoop()).as("the sample loops").isTrue();
    dev.pulse.contract.IngestConfig config = dev.pulse.contract.IngestConfig.parse(IngesterConfig.yaml(feed));
    assertThat(config.replay().loops()).isTrue();
    assertThat(config.replay().rate()).isEqualTo(20.0);
    feed.getSpec().getReplay().setLoop(false);
    assertThat(dev.pulse.contract.IngestConfig.parse(IngesterConfig.yaml(feed)).replay().loops()).isFalse();
  }

  @Test
  void suspendScalesToZeroAndAConfigChangeRollsThePod() {
    SourceFeed feed = feed("sourcefeed-x.yaml");
    Deployment running = SourceFeedObjects.ingester(feed, PulseImages.defaults());
    feed.getSpec().setSuspend(true);
    assertThat(SourceFeedObjects.ingester(feed, PulseImages.defaults()).getSpec().getReplicas()).isZero();
    feed.getSpec().setSuspend(false);
    feed.getSpec().setPollInterval("45s");
    Deployment changed = SourceFeedObjects.ingester(feed, PulseImages.defaults());
    assertThat(changed.getSpec().getTemplate().getMetadata().getAnnotations().get(SourceFeedObjects.CONFIG_HASH_ANNOTATION))
        .isNotEqualTo(running.getSpec().getTemplate().getMetadata().getAnnotations()
            .get(SourceFeedObjects.CONFIG_HASH_ANNOTATION));
  }

  static SourceFeed feed(String sample) {
    SourceFeed feed = JSON.convertValue(Samples.first(sample, "SourceFeed"), SourceFeed.class);
    feed.getMetadata().setNamespace("team-a");
    return feed;
  }
}
