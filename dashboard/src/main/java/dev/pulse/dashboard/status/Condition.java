package dev.pulse.dashboard.status;

import java.time.Instant;

/** One condition of the pipeline's status, as the SentimentPipeline's status.conditions have it (and the API shows). */
public record Condition(String type, String status, String reason, String message, Instant lastTransitionTime) {}
