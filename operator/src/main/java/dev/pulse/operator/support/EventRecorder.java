package dev.pulse.operator.support;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records core/v1 Events on a Pulse resource, as {@code kubectl describe} shows them. An Event that cannot be
 * written is logged and dropped: it must never fail a reconcile.
 */
public final class EventRecorder {

  public static final String NORMAL = "Normal";
  public static final String WARNING = "Warning";

  private static final Logger log = LoggerFactory.getLogger(EventRecorder.class);
  private static final String INSTANCE = System.getenv().getOrDefault("HOSTNAME", "pulse-operator");

  private final Clock clock;

  public EventRecorder(Clock clock) {
    this.clock = clock;
  }

  public void record(KubernetesClient client, HasMetadata about, String type, String reason, String message) {
    Event event = event(about, type, reason, message, Instant.now(clock));
    try {
      client.v1().events().inNamespace(about.getMetadata().getNamespace()).resource(event).create();
    } catch (KubernetesClientException e) {
      log.warn("could not record Event {} on {}/{}: {}", reason, about.getKind(), about.getMetadata().getName(),
          e.getMessage());
    }
  }

  /** The Event object itself: pure, for tests. */
  public static Event event(HasMetadata about, String type, String reason, String message, Instant at) {
    String now = at.truncatedTo(ChronoUnit.SECONDS).toString();
    return new EventBuilder()
        .withNewMetadata()
          .withGenerateName(about.getMetadata().getName() + ".")
          .withNamespace(about.getMetadata().getNamespace())
          .withLabels(java.util.Map.of("app.kubernetes.io/managed-by", OwnedObjects.MANAGED_BY))
        .endMetadata()
        .withInvolvedObject(new ObjectReferenceBuilder()
            .withApiVersion(about.getApiVersion())
            .withKind(about.getKind())
            .withName(about.getMetadata().getName())
            .withNamespace(about.getMetadata().getNamespace())
            .withUid(about.getMetadata().getUid())
            .withResourceVersion(about.getMetadata().getResourceVersion())
            .build())
        .withType(type)
        .withReason(reason)
        .withMessage(message == null ? "" : message.length() > 1024 ? message.substring(0, 1021) + "..." : message)
        .withFirstTimestamp(now)
        .withLastTimestamp(now)
        .withCount(1)
        .withNewSource().withComponent(OwnedObjects.MANAGED_BY).endSource()
        .withReportingComponent(OwnedObjects.MANAGED_BY)
        .withReportingInstance(INSTANCE)
        .build();
  }
}
