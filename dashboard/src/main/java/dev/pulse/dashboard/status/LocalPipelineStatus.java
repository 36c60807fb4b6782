package dev.pulse.dashboard.status;

import java.time.Instant;
import java.util.List;
import java.util.function.Supplier;

/** The local run has no custom resource: it reports what it runs, as one Ready condition. */
public final class LocalPipelineStatus implements PipelineStatusSource {
  private final Instant started = Instant.now();
  private final Supplier<String> description;

  public LocalPipelineStatus(Supplier<String> description) {
    this.description = description;
  }

  @Override
  public Status status(String pipeline) {
    return new Status("local", "Running",
        List.of(new Condition("Ready", "True", "LocalRun", description.get(), started)));
  }
}
