package dev.pulse.scoring.eval;

import dev.pulse.event.Label;


/** A post with its gold label; {@code id} is the source's id where it has one (SemEval files), else null. */
public record LabelledPost(String id, String text, Label label) {}
