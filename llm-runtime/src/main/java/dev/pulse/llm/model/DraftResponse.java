package dev.pulse.llm.model;

import java.util.List;

/**
 * A suggested reply, for a person to review before posting.
 *
 * @param glossaryUsed the glossary entries the model was given, so a reviewer can check the grounding
 * @param examplesUsed how many similar labelled posts the model was given
 */
public record DraftResponse(
    String subjectId, String reply, String tone, List<String> glossaryUsed, int examplesUsed) {}
