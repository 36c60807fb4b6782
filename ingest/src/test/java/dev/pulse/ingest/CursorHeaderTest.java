package dev.pulse.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The pulse-cursor header: plain JSON when small, gzip when large (an RSS cursor of thousands of ids). */
class CursorHeaderTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void aSmallCursorIsPlainJsonAndReadsBack() throws Exception {
    ObjectNode cursor = JSON.createObjectNode().put("line", 192);
    byte[] bytes = CursorHeader.encode(3, cursor);
    assertThat(new String(bytes, StandardCharsets.UTF_8)).isEqualTo("{\"seq\":3,\"cursor\":{\"line\":192}}");
    assertThat(CursorHeader.decode(bytes)).isEqualTo(new CursorHeader.Value(3, cursor));
  }

  @Test
  void aLargeCursorIsCompressedAndReadsBack() throws Exception {
    ObjectNode cursor = JSON.createObjectNode();
    ArrayNode seen = cursor.putArray("seen");
    for (int i = 0; i < 5000; i++) {
      seen.add("https://news.example.com/2026/12/06/an-article-about-acme-number-" + i);
    }
    byte[] bytes = CursorHeader.encode(41, cursor);
    assertThat(bytes.length).isLessThan(JSON.writeValueAsBytes(cursor).length / 4);
    assertThat(CursorHeader.decode(bytes)).isEqualTo(new CursorHeader.Value(41, cursor));
  }

  @Test
  void somethingElseIsRejectedNamed() {
    assertThatThrownBy(() -> CursorHeader.decode("{\"line\":1}".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(IOException.class).hasMessageContaining("not a pulse-cursor header");
  }
}
