package dev.pulse.operator.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.mockito.Mockito.RETURNS_DEEP_STUBS;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import dev.pulse.crd.common.PulseCondition;
import dev.pulse.crd.v1alpha1.SourceFeed;
import dev.pulse.crd.v1alpha1.SourceFeedStatus;
import dev.pulse.operator.support.Conditions;
import dev.pulse.testing.CrdInstaller;
import dev.pulse.testing.KubeApiServer;
import dev.pulse.testing.Samples;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A reconcile that acted on a stale copy (the informer had not yet seen a newer version) fails its status write;
 * the retry on the fresh copy finds the same transition. The Event for it must be recorded once, after the status
 * write that stores the transition succeeded, not once per attempt.
 */
class EventsAfterStatusWriteTest {

  private static KubernetesClient client;

  @BeforeAll
  static void apiServer() {
    client = KubeApiServer.shared().client();
    CrdInstaller.installAll(client);
  }

  /** The smallest FoundationReconciler: one condition that is always a transition from nothing. */
  static final class OneCondition extends FoundationReconciler<SourceFeed, SourceFeedStatus> {
    OneCondition() {
      super(Clock.systemUTC(), SourceFeedStatus::new);
    }

    @Override
    protected List<PulseCondition> observe(SourceFeed feed, SourceFeedStatus status) {
      return List.of(Conditions.of("Ready", false, "IngesterStarting", "the ingester is starting"));
    }

    @Override
    protected boolean sameExtraStatus(SourceFeedStatus previous, SourceFeedStatus next) {
      return true;
    }
  }

  @Test
  void aFailedStatusWriteRecordsNoEventAndTheRetryRecordsItOnce() {
    String namespace = KubeApiServer.shared().createNamespace("events");
    GenericKubernetesResource sample = Samples.first("sourcefeed-rss-news.yaml", "SourceFeed");
    sample.getMetadata().setNamespace(namespace);
    client.genericKubernetesResources("pulse.dev/v1alpha1", "SourceFeed").inNamespace(namespace).resource(sample)
        .create();
    String name = sample.getMetadata().getName();
    SourceFeed stale = client.resources(SourceFeed.class).inNamespace(namespace).withName(name).get();
    // Someone else changes the feed: the copy above is now what a lagging informer cache would hand over.
    client.resources(SourceFeed.class).inNamespace(namespace).withName(name)
        .edit(f -> { f.getMetadata().setLabels(Map.of("touched", "yes")); return f; });

    OneCondition reconciler = new OneCondition();
    @SuppressWarnings("unchecked")
    Context<SourceFeed> context = mock(Context.class, RETURNS_DEEP_STUBS);
    when(context.getClient()).thenReturn(client);

    Throwable failed = catchThrowable(() -> reconciler.reconcile(stale, context));
    assertThat(failed).as("the status write of the stale copy conflicts").isInstanceOf(KubernetesClientException.class);
    reconciler.updateErrorStatus(stale, context, (KubernetesClientException) failed);
    assertThat(events(namespace, name)).as("no Event for a transition that was not stored").isEmpty();

    SourceFeed fresh = client.resources(SourceFeed.class).inNamespace(namespace).withName(name).get();
    reconciler.reconcile(fresh, context);
    SourceFeed stored = client.resources(SourceFeed.class).inNamespace(namespace).withName(name).get();
    assertThat(stored.getStatus().getConditions()).extracting(PulseCondition::getReason).contains("IngesterStarting");
    assertThat(events(namespace, name)).extracting(Event::getReason).containsExactly("IngesterStarting");
  }

  private static List<Event> events(String namespace, String name) {
    return client.v1().events().inNamespace(namespace).list().getItems().stream()
        .filter(e -> name.equals(e.getInvolvedObject().getName())).toList();
  }
}
