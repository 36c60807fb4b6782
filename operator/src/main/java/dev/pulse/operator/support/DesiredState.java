package dev.pulse.operator.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * Whether a stored object already is what the operator would apply, so the apply can be skipped (a no-op
 * server-side apply stores nothing but still costs the API server a decode, admission and merge: ~19 per pipeline
 * and reconcile). Two checks, both needed:
 * <ul>
 *   <li>the {@value #ANNOTATION} annotation, a digest of the desired object written with it, equals the digest of
 *       today's desired object: catches fields the operator stopped setting (a removed env var, label, replicas
 *       left to an autoscaler), which a comparison of values alone cannot see;</li>
 *   <li>every field of the desired object has the same value in the stored one: catches someone else changing a
 *       field the operator owns (kubectl edit), so drift is still repaired. Fields others added (server defaults,
 *       status, HPA replicas) are ignored, as server-side apply ignores them.</li>
 * </ul>
 * A false "changed" only costs one apply; a false "unchanged" would hide drift, so values compare strictly except
 * for what the API server is known to normalise (quantities such as 1000m = 1, zero values it omits).
 */
public final class DesiredState {

  /** Digest of the desired object as last applied (the annotation itself excluded). */
  public static final String ANNOTATION = "pulse.dev/applied-digest";

  /** Metadata fields the operator sets; the rest (uid, resourceVersion, managedFields...) belong to the server. */
  private static final Set<String> OWN_METADATA = Set.of("name", "namespace", "labels", "annotations",
      "ownerReferences");

  private DesiredState() {}

  /** Puts the digest of {@code desired} (as built, before this call) into its annotations, and returns it. */
  public static <T extends HasMetadata> T stamp(T desired) {
    Map<String, String> annotations = desired.getMetadata().getAnnotations() == null ? new HashMap<>()
        : new HashMap<>(desired.getMetadata().getAnnotations());
    annotations.remove(ANNOTATION);
    desired.getMetadata().setAnnotations(annotations.isEmpty() ? null : annotations);
    String digest = digest(desired);
    annotations.put(ANNOTATION, digest);
    desired.getMetadata().setAnnotations(new java.util.TreeMap<>(annotations));
    return desired;
  }

  /** True when {@code stored} carries {@code stamped}'s digest and every field {@code stamped} sets, same value. */
  public static boolean unchanged(HasMetadata stored, HasMetadata stamped) {
    String want = stamped.getMetadata().getAnnotations() == null ? null
        : stamped.getMetadata().getAnnotations().get(ANNOTATION);
    String have = stored.getMetadata().getAnnotations() == null ? null
        : stored.getMetadata().getAnnotations().get(ANNOTATION);
    return want != null && want.equals(have) && firstDifference(stored, stamped) == null;
  }

  /** The path of the first field of {@code desired} that {@code stored} lacks or holds differently, or null. */
  public static String firstDifference(HasMetadata stored, HasMetadata desired) {
    JsonNode want = Serialization.jsonMapper().valueToTree(desired);
    JsonNode have = Serialization.jsonMapper().valueToTree(stored);
    if (want instanceof ObjectNode w) {
      w.remove("status");
      if (w.get("metadata") instanceof ObjectNode meta) {
        meta.retain(OWN_METADATA);
      }
    }
    return difference("", have, want);
  }

  private static String difference(String path, JsonNode have, JsonNode want) {
    if (want == null || want.isNull()) {
      return null;
    }
    if (have == null || have.isNull() || have.isMissingNode()) {
      return isZero(want) ? null : path;
    }
    if (want.isObject()) {
      if (!have.isObject()) {
        return path;
      }
      for (Iterator<Map.Entry<String, JsonNode>> it = want.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> field = it.next();
        String found = difference(path + "." + field.getKey(), have.get(field.getKey()), field.getValue());
        if (found != null) {
          return found;
        }
      }
      return null;
    }
    if (want.isArray()) {
      if (!have.isArray() || have.size() != want.size()) {
        return path;
      }
      for (int i = 0; i < want.size(); i++) {
        String found = difference(path + "[" + i + "]", have.get(i), want.get(i));
        if (found != null) {
          return found;
        }
      }
      return null;
    }
    return sameScalar(have, want) ? null : path;
  }

  /** Values the API server drops when they equal Go's zero value (omitempty), so absent means the same. */
  private static boolean isZero(JsonNode want) {
    return want.isBoolean() && !want.booleanValue()
        || want.isNumber() && want.decimalValue().signum() == 0
        || want.isTextual() && want.textValue().isEmpty()
        || want.isContainerNode() && want.isEmpty();
  }

  private static boolean sameScalar(JsonNode have, JsonNode want) {
    if (have.equals(want)) {
      return true;
    }
    if (have.isNumber() && want.isNumber()) {
      return have.decimalValue().compareTo(want.decimalValue()) == 0;
    }
    if (have.isValueNode() && want.isValueNode()) {
      // Resource quantities come back in canonical form (1000m -> 1, 0.5 -> 500m).
      BigDecimal a = quantity(have.asText());
      BigDecimal b = quantity(want.asText());
      return a != null && b != null && a.compareTo(b) == 0;
    }
    return false;
  }

  private static BigDecimal quantity(String text) {
    if (text == null || text.isEmpty() || !Character.isDigit(text.charAt(0)) && text.charAt(0) != '.') {
      return null;
    }
    try {
      return Quantity.getAmountInBytes(new Quantity(text));
    } catch (RuntimeException notAQuantity) {
      return null;
    }
  }

  static String digest(HasMetadata desired) {
    try {
      byte[] json = Serialization.asJson(desired).getBytes(StandardCharsets.UTF_8);
      byte[] sha = MessageDigest.getInstance("SHA-256").digest(json);
      return HexFormat.of().formatHex(sha, 0, 12);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
