package dev.pulse.operator.support;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * The one place where names of owned objects, label values and Kafka topic names are derived from a resource's
 * name. A Pulse resource may have any name the API server accepts (a DNS-1123 subdomain: dots, a leading digit, up to
 * 253 characters), but what it becomes has tighter rules: a Service name is a DNS-1035 label (at most 63 characters,
 * a letter first, no dots), a label value at most 63 characters, a Kafka topic name at most 249. Names that already
 * fit are kept as they are (so existing objects keep their names); others are cut and made safe, with a short hash of
 * the full name so that two owners never collide (e.g. {@code a.b} and {@code a-b}).
 */
public final class OwnedNames {

  /** DNS-1035/1123 label and label value limit: Services, and Jobs (their name becomes a label value). */
  public static final int LABEL_MAX = 63;
  /** DNS-1123 subdomain limit: most other object names. */
  public static final int SUBDOMAIN_MAX = 253;
  /** Kafka's limit on a topic name. */
  public static final int TOPIC_MAX = 249;

  private static final Pattern DNS_1035_LABEL = Pattern.compile("[a-z]([-a-z0-9]*[a-z0-9])?");
  private static final int HASH_CHARS = 6;

  private OwnedNames() {}

  /**
   * {@code <owner>-<suffix>} as a DNS-1035 label of at most 63 characters: valid for every kind of owned object,
   * Services included, so the Service and the Deployment behind it can share one name.
   */
  public static String child(String owner, String suffix) {
    return child(owner, suffix, LABEL_MAX);
  }

  /** {@link #child(String, String)} within {@code max} (≤ 63) characters, e.g. to leave room for a suffix added by others. */
  public static String child(String owner, String suffix, int max) {
    String full = owner + "-" + suffix;
    if (full.length() <= max && DNS_1035_LABEL.matcher(full).matches()) {
      return full;
    }
    // Dots become dashes, a leading digit gets a letter before it; the hash is of the full, unchanged name.
    String safe = owner.replace('.', '-');
    if (!Character.isLetter(safe.charAt(0))) {
      safe = "p" + safe;
    }
    String hash = shortHash(full, HASH_CHARS);
    int keep = max - suffix.length() - hash.length() - 2;
    String head = safe.substring(0, Math.max(1, Math.min(keep, safe.length()))).replaceAll("-+$", "");
    return head + "-" + hash + "-" + suffix;
  }

  /** {@code <owner>-<suffix>} as a DNS-1123 subdomain (dots kept) of at most 253 characters. */
  public static String subdomainChild(String owner, String suffix) {
    String full = owner + "-" + suffix;
    if (full.length() <= SUBDOMAIN_MAX) {
      return full;
    }
    String hash = shortHash(full, HASH_CHARS);
    int keep = SUBDOMAIN_MAX - suffix.length() - hash.length() - 2;
    return owner.substring(0, keep).replaceAll("[-.]+$", "") + "-" + hash + "-" + suffix;
  }

  /**
   * A resource name as a label value (at most 63 characters). A subdomain's characters are all valid in a label
   * value, so only its length needs care.
   */
  public static String labelValue(String name) {
    if (name.length() <= LABEL_MAX) {
      return name;
    }
    String hash = shortHash(name, HASH_CHARS);
    return name.substring(0, LABEL_MAX - hash.length() - 1).replaceAll("[-.]+$", "") + "-" + hash;
  }

  /**
   * A Kafka topic name {@code <head><suffix>} within Kafka's 249 characters; when longer, {@code head} is cut and a
   * hash of the full name keeps it unique. Topic names of Pulse's form are also valid KafkaTopic object names.
   */
  public static String topic(String head, String suffix) {
    String full = head + suffix;
    if (full.length() <= TOPIC_MAX) {
      return full;
    }
    String hash = shortHash(full, HASH_CHARS);
    int keep = TOPIC_MAX - suffix.length() - hash.length() - 1;
    return head.substring(0, keep).replaceAll("[-.]+$", "") + "-" + hash + suffix;
  }

  /** A file name for {@code name} with {@code extension}, within the 255 bytes a Linux file system allows. */
  public static String fileName(String name, String extension) {
    int max = 255 - extension.length();
    if (name.length() <= max) {
      return name + extension;
    }
    String hash = shortHash(name, HASH_CHARS);
    return name.substring(0, max - hash.length() - 1) + "-" + hash + extension;
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
