package dev.pulse.llm.model;

import dev.pulse.llm.model.Sentiment;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

/** A post that an alert cites as evidence, with the label the pipeline gave it. */
public record EvidencePost(
    @NotBlank @Size(max = 256) String id,
    @NotBlank @Size(max = 20_000) String text,
    @NotNull Sentiment label,
    @DecimalMin("-1.0") @DecimalMax("1.0") Double score) {}
