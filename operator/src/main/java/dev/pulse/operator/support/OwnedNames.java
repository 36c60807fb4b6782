package dev.pulse.operator.support;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Names of owned objects: {@code <owner>-<suffix>}, cut to a length limit with a short hash of the full name so
 * two long owners never collide. Services and Job names (which become pod labels) must be at most 63 characters.
 */
public final class OwnedNames {

  /** DNS-1123 label limit: Services, and Jobs (their name becomes a label value). */
  public static final int LABEL_MAX = 63;

  private OwnedNames() {}

  public static String child(String owner, String suffix) {
    return child(owner, suffix, LABEL_MAX);
  }

  public static String child(String owner, String suffix, int max) {
    String full = owner + "-" + suffix;
    if (full.length() <= max) {
      return full;
    }
    String hash = shortHash(full, 6);
    int keep = max - suffix.length() - hash.length() - 2;
    String head = owner.substring(0, Math.max(1, keep)).replaceAll("[-.]+$", "");
    return head + "-" + hash + "-" + suffix;
  }

  /** The first {@code hexChars} hex digits of the SHA-256 of {@code text}. */
  public static String shortHash(String text, int hexChars) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest).substring(0, hexChars);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
