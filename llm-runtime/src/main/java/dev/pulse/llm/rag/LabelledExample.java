package dev.pulse.llm.rag;

import dev.pulse.llm.model.Sentiment;

/** An already-labelled post retrieved as a few-shot example. */
public record LabelledExample(String text, Sentiment label) {}
