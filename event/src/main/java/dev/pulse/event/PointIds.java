package dev.pulse.event;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.UUID;

/**
 * Qdrant point ids from post ids: a name-based UUID v5 (RFC 4122, SHA-1) in a namespace of Pulse's own, so the same
 * post always lands on the same point and a replay overwrites instead of duplicating.
 */
public final class PointIds {
  /** The UUID v5 of the URL "https://pulse.dev/qdrant/post" in the RFC 4122 URL namespace. */
  public static final UUID NAMESPACE = v5(UUID.fromString("6ba7b811-9dad-11d1-80b4-00c04fd430c8"),
      "https://pulse.dev/qdrant/post");

  private PointIds() {}

  public static UUID of(String postId) {
    return v5(NAMESPACE, postId);
  }

  static UUID v5(UUID namespace, String name) {
    MessageDigest sha1;
    try {
      sha1 = MessageDigest.getInstance("SHA-1");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    sha1.update(toBytes(namespace));
    byte[] h = sha1.digest(name.getBytes(StandardCharsets.UTF_8));
    h[6] = (byte) ((h[6] & 0x0f) | 0x50); // version 5
    h[8] = (byte) ((h[8] & 0x3f) | 0x80); // IETF variant
    long msb = 0;
    long lsb = 0;
    for (int i = 0; i < 8; i++) msb = (msb << 8) | (h[i] & 0xff);
    for (int i = 8; i < 16; i++) lsb = (lsb << 8) | (h[i] & 0xff);
    return new UUID(msb, lsb);
  }

  private static byte[] toBytes(UUID u) {
    byte[] b = new byte[16];
    long msb = u.getMostSignificantBits();
    long lsb = u.getLeastSignificantBits();
    for (int i = 0; i < 8; i++) {
      b[i] = (byte) (msb >>> (56 - 8 * i));
      b[8 + i] = (byte) (lsb >>> (56 - 8 * i));
    }
    return b;
  }
}
