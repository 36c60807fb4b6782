package dev.pulse.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * The {@value #NAME} record header: {@code {"seq": n, "cursor": {...}}}, the ingester's cursor after the batch
 * whose last record carries it, and the batch's sequence number (one more than the previous batch's), which orders
 * batches whose last records landed on different partitions. Plain JSON (readable with any Kafka tool) unless it is
 * large (an RSS cursor remembers thousands of item ids): then gzip, recognised on reading by gzip's magic bytes,
 * which JSON never starts with, so the record stays well under the producer's request size limit.
 */
final class CursorHeader {
  static final String NAME = "pulse-cursor";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int GZIP_ABOVE = 8 * 1024;

  private CursorHeader() {}

  record Value(long seq, ObjectNode cursor) {}

  static byte[] encode(long seq, ObjectNode cursor) {
    ObjectNode envelope = JSON.createObjectNode();
    envelope.put("seq", seq);
    envelope.set("cursor", cursor);
    try {
      byte[] json = JSON.writeValueAsBytes(envelope);
      if (json.length <= GZIP_ABOVE) {
        return json;
      }
      ByteArrayOutputStream out = new ByteArrayOutputStream(json.length / 4);
      try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
        gz.write(json);
      }
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Value decode(byte[] bytes) throws IOException {
    byte[] json = bytes;
    if (bytes.length > 1 && bytes[0] == (byte) 0x1f && bytes[1] == (byte) 0x8b) {
      try (GZIPInputStream gz = new GZIPInputStream(new ByteArrayInputStream(bytes))) {
        json = gz.readAllBytes();
      }
    }
    JsonNode node = JSON.readTree(json);
    if (!(node instanceof ObjectNode envelope) || !envelope.path("seq").canConvertToLong()
        || !(envelope.get("cursor") instanceof ObjectNode cursor)) {
      throw new IOException("not a " + NAME + " header: " + new String(json, 0, Math.min(json.length, 200),
          java.nio.charset.StandardCharsets.UTF_8));
    }
    return new Value(envelope.get("seq").asLong(), cursor);
  }
}
