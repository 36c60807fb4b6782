package dev.pulse.operator.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pulse.crd.common.PulseCondition;
import dev.pulse.crd.v1alpha1.SentimentPipeline;
import dev.pulse.crd.v1alpha1.SourceFeed;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The Native Spark condition, from the driver and executor pods as the API server reports them. */
class SparkDriverStatusTest {

  private final SentimentPipeline pipeline = PipelineFixtures.northwind("brands");
  private final FeedResolution feeds = new FeedResolution(List.of(feed()), List.of(), List.of());

  private static SourceFeed feed() {
    SourceFeed f = io.fabric8.kubernetes.client.utils.Serialization.unmarshal(io.fabric8.kubernetes.client.utils
        .Serialization.asYaml(dev.pulse.testing.Samples.first("sourcefeed-replay.yaml", "SourceFeed")), SourceFeed.class);
    f.getMetadata().setNamespace("brands");
    return f;
  }

  private static Pod pod(String name, String role, String phase, boolean ready) {
    return new PodBuilder().withNewMetadata().withName(name).addToLabels(SparkDriver.ROLE_LABEL, role).endMetadata()
        .withNewStatus().withPhase(phase).addNewContainerStatus().withName("c").withReady(ready).withRestartCount(0)
        .endContainerStatus().endStatus().build();
  }

  private PulseCondition condition(int wanted, Pod... pods) {
    return SparkDriverStatus.condition(pipeline, feeds, wanted, SparkDriverStatus.SparkPods.of(List.of(pods)));
  }

  @Test
  void readyOnlyWithTheDriverAndEveryExecutorRunning() {
    PulseCondition c = condition(1, pod("d", "driver", "Running", true), pod("e1", "executor", "Running", true));
    assertThat(c.holds()).isTrue();
    assertThat(c.getReason()).isEqualTo("Running");
    assertThat(c.getMessage()).contains("d").contains("1 of 1 executor").contains("e1");
    assertThat(SparkDriverStatus.state(pipeline, c)).isEqualTo("RUNNING");
  }

  @Test
  void aMissingExecutorIsNamedWithWhyItDoesNotSchedule() {
    Pod pending = new PodBuilder(pod("e2", "executor", "Pending", false)).editStatus().addNewCondition()
        .withType("PodScheduled").withStatus("False").withMessage("0/1 nodes are available: 1 Insufficient cpu.")
        .endCondition().endStatus().build();
    PulseCondition c = condition(2, pod("d", "driver", "Running", true), pod("e1", "executor", "Running", true), pending);
    assertThat(c.holds()).isFalse();
    assertThat(c.getReason()).isEqualTo("ExecutorsPending");
    assertThat(c.getMessage()).contains("1 of 2").contains("e2 Pending").contains("Insufficient cpu");
    assertThat(SparkDriverStatus.state(pipeline, c)).isEqualTo("PENDING");
  }

  @Test
  void aCrashLoopingDriverIsFailingWithItsExitCode() {
    Pod crashing = new PodBuilder(pod("d", "driver", "Running", false)).editStatus().editFirstContainerStatus()
        .withRestartCount(4).withNewState().withNewWaiting().withReason("CrashLoopBackOff").endWaiting().endState()
        .withNewLastState().withNewTerminated().withExitCode(1).endTerminated().endLastState()
        .endContainerStatus().endStatus().build();
    PulseCondition c = condition(1, crashing);
    assertThat(c.getReason()).isEqualTo("DriverFailing");
    assertThat(c.getMessage()).contains("CrashLoopBackOff").contains("exit code 1").contains("4 restarts");
    assertThat(SparkDriverStatus.state(pipeline, c)).isEqualTo("FAILING");
    assertThat(PipelineConditions.phase(pipeline, false, SparkDriverStatus.state(pipeline, c)))
        .isEqualTo(dev.pulse.crd.v1alpha1.SentimentPipelineStatus.Phase.Failed);
  }

  @Test
  void noDriverPodYetAndATerminatingOneAreNotRunning() {
    assertThat(condition(1).getReason()).isEqualTo("DriverPending");
    Pod leaving = new PodBuilder(pod("d", "driver", "Running", true)).editMetadata()
        .withDeletionTimestamp("2026-12-06T08:00:00Z").endMetadata().build();
    assertThat(condition(1, leaving, pod("e1", "executor", "Running", true)).getReason()).isEqualTo("DriverPending");
    assertThat(condition(1, pod("d", "driver", "Pending", false)).getReason()).isEqualTo("DriverStarting");
  }

  @Test
  void suspendedSaysSoWhateverThePods() {
    pipeline.getSpec().setSuspend(true);
    PulseCondition c = condition(1, pod("d", "driver", "Running", true));
    assertThat(c.getReason()).isEqualTo(PipelineConditions.SUSPENDED);
    assertThat(SparkDriverStatus.state(pipeline, c)).isEqualTo("SUSPENDED");
  }
}
