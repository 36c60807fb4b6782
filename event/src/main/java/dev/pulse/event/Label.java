package dev.pulse.event;

/** The three-way sentiment label (TweetEval's classes). */
public enum Label {
  NEGATIVE,
  NEUTRAL,
  POSITIVE
}
