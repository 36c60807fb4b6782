package dev.pulse.event;

/**
 * The three-way sentiment label (TweetEval's classes): what the scorer outputs and what a ScoredPost carries, one
 * enum for both. {@link #index()} is TweetEval's label id (mapping.txt).
 */
public enum Label {
  NEGATIVE,
  NEUTRAL,
  POSITIVE;

  public int index() {
    return ordinal();
  }

  public static Label ofIndex(int index) {
    if (index < 0 || index > 2) {
      throw new IllegalArgumentException("label " + index + " is out of range: expected 0, 1 or 2");
    }
    return values()[index];
  }

  /** Parses 0/1/2 or negative/neutral/positive (any case). */
  public static Label parse(String label) {
    String s = label.trim().toLowerCase(java.util.Locale.ROOT);
    switch (s) {
      case "0": case "negative": return NEGATIVE;
      case "1": case "neutral": return NEUTRAL;
      case "2": case "positive": return POSITIVE;
      default:
        throw new IllegalArgumentException(
            "label '" + label + "' is out of range: expected 0/1/2 or negative/neutral/positive");
    }
  }
}
