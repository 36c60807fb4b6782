package dev.pulse.event;

/** Where a post came from; one ingester type per value. */
public enum Source {
  RSS,
  REDDIT,
  X,
  REPLAY
}
