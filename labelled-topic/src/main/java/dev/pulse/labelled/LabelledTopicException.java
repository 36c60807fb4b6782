package dev.pulse.labelled;

/** Why a labelled topic could not be read: bad input ({@link Kind#isBadInput}) or a broker that did not answer. */
public final class LabelledTopicException extends RuntimeException {

  public enum Kind {
    /** The topic does not exist (the pipeline never ran, or a wrong name). */
    TOPIC_MISSING(true),
    /** The topic holds no labelled post, or fewer than asked for. */
    TOO_FEW_POSTS(true),
    /** The records up to the end offsets found at the start were not all read within the timeout. */
    NOT_READ_TO_END(false);

    private final boolean badInput;

    Kind(boolean badInput) {
      this.badInput = badInput;
    }

    /** Whether retrying with the same input cannot help (the exporter's exit code 2). */
    public boolean isBadInput() {
      return badInput;
    }
  }

  private final Kind kind;

  public LabelledTopicException(Kind kind, String message) {
    super(message);
    this.kind = kind;
  }

  public Kind kind() {
    return kind;
  }
}
