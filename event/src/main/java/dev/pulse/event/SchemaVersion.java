package dev.pulse.event;

/** The version written into every record; a reader rejects versions it does not know rather than guess. */
public final class SchemaVersion {
  public static final int CURRENT = 1;

  private SchemaVersion() {}

  static void check(int version) {
    if (version != CURRENT) {
      throw new IllegalArgumentException(
          "unsupported schemaVersion " + version + " (this reader knows " + CURRENT + ")");
    }
  }
}
