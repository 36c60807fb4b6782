package dev.pulse.ingest;

import dev.pulse.event.Source;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The only form in which an author leaves the ingester: a salted SHA-256 (salt from PULSE_AUTHOR_SALT when set), so
 * posts by the same author can be grouped without storing who they are.
 */
public final class AuthorHash {
  private final String salt;

  public AuthorHash(String salt) {
    this.salt = salt == null ? "pulse" : salt;
  }

  public String of(Source source, String author) {
    if (author == null || author.isBlank()) {
      return null;
    }
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      byte[] digest = sha.digest((salt + "|" + source + "|" + author).getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A short stable hex digest, used for ids of items that have no short id of their own (RSS). */
  static String digest(String text) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(d, 0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
