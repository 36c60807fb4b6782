package dev.pulse.scoring.cli;

/** A TweetEval split the scoring commands read ({@code --split}): picocli refuses any other. */
enum Split { test, val }
