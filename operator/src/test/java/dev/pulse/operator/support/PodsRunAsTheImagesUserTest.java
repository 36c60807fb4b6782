package dev.pulse.operator.support;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pulse.crd.v1alpha1.ModelAdapter;
import dev.pulse.crd.v1alpha1.SentimentPipeline;
import dev.pulse.crd.v1alpha1.SourceFeed;
import dev.pulse.operator.adapter.ModelAdapterObjects;
import dev.pulse.operator.feed.SourceFeedObjects;
import dev.pulse.operator.pipeline.RenderInputs;
import dev.pulse.operator.pipeline.SentimentPipelineObjects;
import dev.pulse.operator.pipeline.spark.SparkApplication;
import dev.pulse.testing.Samples;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The images the build makes run as one numeric user (hack/images/build-base-images.sh's UID_GID, the Jib
 * {@code <user>} in pom.xml, the trainer image's {@code --config.user}); every pod the operator renders and the
 * chart's operator pod must run as that user, restricted, so files the image owns are the pod's own.
 */
class PodsRunAsTheImagesUserTest {

  private static final Path ROOT = Path.of("..");

  static long imagesUid() throws IOException {
    Matcher base = Pattern.compile("(?m)^UID_GID=(\\d+)$")
        .matcher(Files.readString(ROOT.resolve("hack/images/build-base-images.sh")));
    assertThat(base.find()).as("UID_GID in build-base-images.sh").isTrue();
    long uid = Long.parseLong(base.group(1));
    assertThat(Files.readString(ROOT.resolve("pom.xml"))).contains("<user>" + uid + ":" + uid + "</user>");
    assertThat(Files.readString(ROOT.resolve("hack/images/build-trainer-image.sh")))
        .contains("--config.user " + uid + ":" + uid);
    return uid;
  }

  @Test
  void theConstantIsTheImagesUser() throws IOException {
    assertThat(OwnedObjects.IMAGE_UID).isEqualTo(imagesUid());
  }

  @Test
  void everyRenderedPodRunsAsTheImagesUserRestricted() throws IOException {
    long uid = imagesUid();
    List<PodSpec> pods = new ArrayList<>();
    List<SecurityContext> containers = new ArrayList<>();
    SourceFeed feed = typed("sourcefeed-rss-news.yaml", "SourceFeed", SourceFeed.class);
    ModelAdapter adapter = typed("modeladapter-gemma.yaml", "ModelAdapter", ModelAdapter.class);
    SentimentPipeline pipeline = typed("sentimentpipeline-northwind.yaml", "SentimentPipeline", SentimentPipeline.class);
    List<HasMetadata> objects = new ArrayList<>(SourceFeedObjects.desired(feed, PulseImages.defaults()));
    objects.addAll(ModelAdapterObjects.desired(adapter, PulseImages.defaults()));
    objects.addAll(SentimentPipelineObjects.desired(pipeline, RenderInputs.of(null, List.of("t"), null)));
    for (HasMetadata o : objects) {
      if (o instanceof Deployment d) {
        pods.add(d.getSpec().getTemplate().getSpec());
      } else if (o instanceof Job j) {
        pods.add(j.getSpec().getTemplate().getSpec());
      } else if (o instanceof SparkApplication app) {
        for (var template : List.of(app.getSpec().getDriver().getTemplate(), app.getSpec().getExecutor().getTemplate())) {
          assertRestricted(template.getSpec().getSecurityContext(), uid);
          containers.add(template.getSpec().getContainers().get(0).getSecurityContext());
        }
      }
    }
    assertThat(pods).as("ingester, trainer, gateway, dashboard (and vLLM where enabled)").hasSizeGreaterThanOrEqualTo(4);
    for (PodSpec pod : pods) {
      assertRestricted(pod.getSecurityContext(), uid);
      pod.getContainers().stream().map(Container::getSecurityContext).forEach(containers::add);
    }
    assertThat(containers).isNotEmpty().allSatisfy(c -> {
      assertThat(c.getRunAsNonRoot()).isTrue();
      assertThat(c.getReadOnlyRootFilesystem()).isTrue();
      assertThat(c.getAllowPrivilegeEscalation()).isFalse();
      assertThat(c.getCapabilities().getDrop()).containsExactly("ALL");
    });
  }

  @Test
  void theChartsOperatorPodRunsAsTheImagesUser() throws IOException {
    long uid = imagesUid();
    String deployment = Files.readString(ROOT.resolve("charts/pulse-operator/templates/deployment.yaml"));
    assertThat(deployment).contains("runAsNonRoot: true", "runAsUser: " + uid, "runAsGroup: " + uid,
        "type: RuntimeDefault").doesNotContainPattern("runAs(User|Group): (?!" + uid + "\\b)\\d+");
  }

  private static void assertRestricted(PodSecurityContext pod, long uid) {
    assertThat(pod.getRunAsNonRoot()).isTrue();
    assertThat(pod.getRunAsUser()).isEqualTo(uid);
    assertThat(pod.getRunAsGroup()).isEqualTo(uid);
    assertThat(pod.getFsGroup()).isEqualTo(uid);
    assertThat(pod.getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
  }

  private static <T> T typed(String sample, String kind, Class<T> type) {
    T resource = Serialization.unmarshal(Serialization.asYaml(Samples.first(sample, kind)), type);
    ((HasMetadata) resource).getMetadata().setNamespace("ns");
    ((HasMetadata) resource).getMetadata().setUid("00000000-0000-0000-0000-000000000001");
    return resource;
  }
}
