package dev.pulse.llm.api;

import dev.pulse.llm.model.PostClassification;

import java.util.List;

/** One result per post, in the order the posts came. */
public record ClassifyResponse(String pipeline, String model, List<PostClassification> results) {}
