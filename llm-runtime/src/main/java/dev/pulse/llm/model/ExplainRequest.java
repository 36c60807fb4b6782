package dev.pulse.llm.model;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.List;

/**
 * An alert to explain.
 *
 * @param trigger what the crisis rule saw, in words, e.g. "negative ratio 0.64 over 10m (212 posts)"
 */
public record ExplainRequest(
    @NotBlank @Pattern(regexp = PipelineName.PATTERN, message = PipelineName.MESSAGE) String pipeline,
    @NotBlank @Size(max = 256) String alertId,
    @Size(max = 500) String trigger,
    @NotEmpty @Size(max = 50) List<@NotNull @Valid EvidencePost> evidence) {}
