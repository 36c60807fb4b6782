package dev.pulse.llm.model;

import dev.pulse.llm.model.Sentiment;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

/**
 * One post to classify, as the Spark job sends it.
 *
 * @param lightLabel the light scorer's label; it stands when the LLM is not used
 * @param lightScore the light scorer's polarity in [-1, 1]; it stands when the LLM is not used
 */
public record PostIn(
    @NotBlank @Size(max = 256) String id,
    @NotBlank @Size(max = 20_000) String text,
    Sentiment lightLabel,
    @DecimalMin("-1.0") @DecimalMax("1.0") Double lightScore) {}
