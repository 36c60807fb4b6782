package dev.pulse.llm.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.pulse.llm.model.FallbackReason;
import dev.pulse.llm.model.Sentiment;
import dev.pulse.llm.model.Source;

/**
 * The result for one post.
 *
 * @param score polarity in [-1, 1], the light scorer's scale
 * @param confidence the LLM's confidence in its label, in [0, 1]; only when {@code source} is LLM
 * @param fallbackReason why the LLM's answer was not used; only when {@code source} is FALLBACK
 */
public record PostClassification(
    String id,
    Sentiment label,
    double score,
    @JsonInclude(JsonInclude.Include.NON_NULL) Double confidence,
    String rationale,
    boolean crisis,
    Source source,
    @JsonInclude(JsonInclude.Include.NON_NULL) FallbackReason fallbackReason) {}
