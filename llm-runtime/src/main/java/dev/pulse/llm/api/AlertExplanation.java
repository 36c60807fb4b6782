package dev.pulse.llm.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.pulse.llm.classify.FallbackReason;
import dev.pulse.llm.classify.Source;
import java.util.List;

/** Why sentiment turned, from the LLM, or (FALLBACK) counted from the evidence alone. */
public record AlertExplanation(
    String alertId,
    String summary,
    List<String> drivers,
    List<String> evidenceIds,
    Source source,
    @JsonInclude(JsonInclude.Include.NON_NULL) FallbackReason fallbackReason) {}
