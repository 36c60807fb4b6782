package dev.pulse.contract;

/**
 * Which light scorer a pipeline runs (the CRD's {@code spec.scoring.tier}, the job's {@code spark.pulse.scoring.tier}):
 * {@code fast} (lexicon + learned heads on MiniLM), {@code full} (fast + the fine-tuned e5-small-v2 pass) or
 * {@code lexicon}. Not to be confused with who scored a post ({@code dev.pulse.event.ScoredBy}: LIGHT, LLM, FALLBACK).
 */
public enum ScoringTier { fast, full, lexicon }
