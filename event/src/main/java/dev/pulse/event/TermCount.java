package dev.pulse.event;

/** A term and how often it occurred in a window. */
public record TermCount(String term, long count) {
  public TermCount {
    Validate.notBlank(term, "term");
    Validate.notNegative(count, "count");
  }
}
