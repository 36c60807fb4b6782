package dev.pulse.llm.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.pulse.llm.model.FallbackReason;
import dev.pulse.llm.model.Source;
import java.util.List;

/** Why sentiment turned, from the LLM, or (FALLBACK) counted from the evidence alone. */
public record AlertExplanation(
    String alertId,
    String summary,
    List<String> drivers,
    List<String> evidenceIds,
    Source source,
    @JsonInclude(JsonInclude.Include.NON_NULL) FallbackReason fallbackReason) {}
