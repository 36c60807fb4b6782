package dev.pulse.dashboard.kafka;

import dev.pulse.event.Aggregate;
import dev.pulse.event.Alert;
import dev.pulse.event.ScoredPost;

/** What the consumer hands on, in topic order per partition. */
public interface PipelineListener {
  void onScoredPost(ScoredPost post);

  void onAggregate(Aggregate aggregate);

  void onAlert(Alert alert);
}
