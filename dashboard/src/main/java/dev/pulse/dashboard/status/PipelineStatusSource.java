package dev.pulse.dashboard.status;

import java.util.List;

/** Where the pipeline's health comes from: the SentimentPipeline's conditions in a cluster, the local run otherwise. */
public interface PipelineStatusSource {

  Status status(String pipeline);

  record Status(String mode, String phase, List<Condition> conditions) {}
}
