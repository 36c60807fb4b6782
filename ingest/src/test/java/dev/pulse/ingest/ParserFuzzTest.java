package dev.pulse.ingest;

import static dev.pulse.ingest.TestSupport.fixture;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pulse.contract.IngestConfig;
import dev.pulse.event.Post;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fault and fuzz suite for the ingest parsers: thousands of malformed X pages, Reddit listings, RSS/Atom documents
 * and replay lines, made by mutating valid payloads (fields removed, values of the wrong type, huge or odd strings,
 * truncated or corrupted bytes), with a fixed seed so a failure can be replayed. Each parser either rejects a page
 * it cannot read as a whole with an {@link IOException} (the poll fails, the cursor stays), or accounts for every
 * item in it: a post, or a rejected item with its reason. No input makes an unchecked exception escape.
 */
class ParserFuzzTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final long SEED = 20261206L;

  @TempDir Path dir;

  private static Http http(AtomicReference<byte[]> body) {
    Backoff once = new Backoff(Duration.ofMillis(1), Duration.ofMillis(1), 1, Duration.ofMillis(1));
    return new Http(new CannedHttpClient(body::get), once, new IngestMetrics("fuzz", "FUZZ"), Sleeper.REAL,
        Clock.systemUTC(), new Random(1));
  }

  /** A random JSON value of any type, sometimes large or odd; unique numbers and strings, so no two ids collide. */
  private static JsonNode randomValue(Random r, int serial) {
    return switch (r.nextInt(9)) {
      case 0 -> NODES.nullNode();
      case 1 -> NODES.numberNode(r.nextLong());
      case 2 -> NODES.numberNode(r.nextDouble() * 1e12);
      case 3 -> NODES.booleanNode(r.nextBoolean());
      case 4 -> NODES.textNode("s" + serial + "-" + r.nextInt());
      case 5 -> NODES.textNode("\u0000\uD83D\uDE00\u202E" + "x".repeat(r.nextInt(5000)) + serial);
      case 6 -> NODES.arrayNode().add(serial).add("a");
      case 7 -> NODES.objectNode().put("nested", serial);
      default -> NODES.textNode("");
    };
  }

  /** Applies a few random mutations anywhere in the tree: remove a field, change a value's type, add a field. */
  private static void mutate(JsonNode root, Random r, int serial) {
    for (int m = 1 + r.nextInt(4); m > 0; m--) {
      List<JsonNode> containers = new ArrayList<>();
      collect(root, containers);
      JsonNode target = containers.get(r.nextInt(containers.size()));
      if (target instanceof ObjectNode object && object.size() > 0) {
        List<String> names = new ArrayList<>();
        object.fieldNames().forEachRemaining(names::add);
        String name = names.get(r.nextInt(names.size()));
        switch (r.nextInt(3)) {
          case 0 -> object.remove(name);
          case 1 -> object.set(name, randomValue(r, serial * 31 + m));
          default -> object.set("extra" + m, randomValue(r, serial * 37 + m));
        }
      } else if (target instanceof ArrayNode array && array.size() > 0) {
        int i = r.nextInt(array.size());
        if (r.nextBoolean()) {
          array.remove(i);
        } else {
          array.set(i, randomValue(r, serial * 41 + m));
        }
      }
    }
  }

  private static void collect(JsonNode node, List<JsonNode> out) {
    if (node.isContainerNode()) {
      out.add(node);
      node.forEach(child -> collect(child, out));
    }
  }

  /** Sometimes the bytes themselves break: cut short, a byte flipped, or garbage. */
  private static byte[] corrupt(byte[] bytes, Random r) {
    return switch (r.nextInt(10)) {
      case 0 -> java.util.Arrays.copyOf(bytes, r.nextInt(bytes.length + 1));
      case 1 -> {
        byte[] copy = bytes.clone();
        if (copy.length > 0) {
          copy[r.nextInt(copy.length)] = (byte) r.nextInt(256);
        }
        yield copy;
      }
      case 2 -> {
        byte[] garbage = new byte[r.nextInt(200)];
        r.nextBytes(garbage);
        yield garbage;
      }
      default -> bytes;
    };
  }

  private static JsonNode treeOrNull(byte[] bytes) {
    try {
      return JSON.readTree(bytes);
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  @Test
  void xPagesAreEitherRefusedWholeOrEveryPostIsAccountedFor() throws Exception {
    Random r = new Random(SEED);
    AtomicReference<byte[]> body = new AtomicReference<>();
    XSource x = new XSource("fuzz", new IngestConfig.X("acme", "http://x.invalid", 100, 1),
        Secret.require(java.util.Map.of("T", "t"), "T"), http(body), new AuthorHash("salt"));
    ObjectNode cursor = NODES.objectNode().put("sinceId", "1");
    JsonNode valid = JSON.readTree(fixture("x/search-page1.json"));
    int pages = 0;
    int refused = 0;
    int items = 0;
    int rejected = 0;
    for (int i = 0; i < 3000; i++) {
      ObjectNode page = valid.deepCopy();
      ((ObjectNode) page.path("meta")).remove("next_token");
      ArrayNode data = (ArrayNode) page.path("data");
      for (int k = 0; k < data.size(); k++) {
        ((ObjectNode) data.get(k)).put("id", Long.toString(1_000_000L * i + k));
      }
      mutate(page, r, i);
      byte[] bytes = corrupt(JSON.writeValueAsBytes(page), r);
      body.set(bytes);
      JsonNode parsed = treeOrNull(bytes);
      boolean readable = parsed != null && parsed.isObject() && parsed.path("meta").isObject()
          && (!parsed.has("data") || parsed.get("data").isArray());
      Batch batch;
      try {
        batch = x.poll(cursor);
      } catch (IOException e) {
        assertThat(readable).as("page %d refused although readable: %s", i, e.getMessage()).isFalse();
        refused++;
        continue;
      } catch (RuntimeException e) {
        throw new AssertionError("page " + i + " threw " + e + " for " + new String(bytes, StandardCharsets.UTF_8), e);
      }
      assertThat(readable).as("page %d was read although it is not a readable page", i).isTrue();
      int count = parsed.has("data") ? parsed.get("data").size() : 0;
      assertThat(batch.posts().size() + batch.rejected().size()).as("page %d: every item accounted for", i)
          .isEqualTo(count);
      batch.rejected().forEach(b -> assertThat(b.reason()).isNotBlank());
      batch.posts().forEach(ParserFuzzTest::wellFormed);
      pages++;
      items += count;
      rejected += batch.rejected().size();
    }
    assertThat(pages).as("enough readable pages to mean something").isGreaterThan(1000);
    assertThat(refused).isGreaterThan(100);
    assertThat(rejected).as("bad items among %d", items).isGreaterThan(200);
  }

  @Test
  void redditListingsAreEitherRefusedWholeOrEveryPostIsAccountedFor() throws Exception {
    Random r = new Random(SEED + 1);
    RedditSource reddit = new RedditSource("fuzz", new IngestConfig.Reddit(List.of("acme"), null,
        "linux:fuzz:v1 (by /u/fuzz)", "http://auth.invalid", "http://api.invalid", 100, 1),
        Secret.require(java.util.Map.of("I", "i"), "I"), Secret.require(java.util.Map.of("S", "s"), "S"),
        http(new AtomicReference<>()), new AuthorHash("salt"));
    JsonNode valid = JSON.readTree(fixture("reddit/new-page1.json"));
    int listings = 0;
    int rejected = 0;
    for (int i = 0; i < 3000; i++) {
      ObjectNode listing = valid.deepCopy();
      mutate(listing, r, i);
      byte[] bytes = corrupt(JSON.writeValueAsBytes(listing), r);
      JsonNode parsed = treeOrNull(bytes);
      boolean readable = parsed != null && "Listing".equals(parsed.path("kind").asText())
          && parsed.path("data").path("children").isArray();
      RedditSource.Listing result;
      try {
        result = reddit.parseListing(bytes, "/r/acme/new");
      } catch (MalformedPayloadException e) {
        assertThat(readable).as("listing %d refused although readable: %s", i, e.getMessage()).isFalse();
        continue;
      } catch (RuntimeException e) {
        throw new AssertionError("listing " + i + " threw " + e + " for " + new String(bytes, StandardCharsets.UTF_8),
            e);
      }
      assertThat(readable).isTrue();
      long posts = 0;
      for (JsonNode child : parsed.path("data").path("children")) {
        posts += "t3".equals(child.path("kind").asText()) ? 1 : 0;
      }
      assertThat(result.posts().size() + result.rejected().size()).as("listing %d: every post accounted for", i)
          .isEqualTo(posts);
      result.posts().forEach(ParserFuzzTest::wellFormed);
      listings++;
      rejected += result.rejected().size();
    }
    assertThat(listings).isGreaterThan(1000);
    assertThat(rejected).isGreaterThan(200);
  }

  @Test
  void rssAndAtomDocumentsNeverThrowUncheckedAndEntitiesAreNotExpanded() throws Exception {
    Random r = new Random(SEED + 2);
    AtomicReference<byte[]> body = new AtomicReference<>();
    // news.invalid stands for a public host (no DNS here): the address check passes, the canned client answers.
    Http canned = http(body);
    RssSource rss = new RssSource("fuzz", new IngestConfig.Rss(List.of("http://news.invalid/rss.xml"), 50), canned,
        new AuthorHash("salt"), host -> new java.net.InetAddress[] {
            java.net.InetAddress.getByAddress(host, new byte[] {93, (byte) 184, (byte) 216, 34})},
        (request, addresses, what, max, limit) -> canned.send(request, what));
    List<String> valid = List.of(fixture("rss/news-rss2.xml"), fixture("rss/news-atom.xml"));
    String[] odd = {"", "<", "&amp;", "&bogus;", "]]>", "<![CDATA[", "\u0000", "\uFFFF", "<item>", "</channel>",
        "<pubDate>yesterday</pubDate>", "<link></link>", "<guid/>", "<title/>", "<entry>", "<?xml version=\"1.0\"?>"};
    int read = 0;
    for (int i = 0; i < 1000; i++) {
      StringBuilder doc = new StringBuilder(valid.get(i % 2));
      for (int m = 1 + r.nextInt(3); m > 0; m--) {
        int at = r.nextInt(doc.length() + 1);
        if (r.nextBoolean() && doc.length() > 0) {
          int end = Math.min(doc.length(), at + r.nextInt(80));
          doc.delete(Math.min(at, end), end);
        } else {
          doc.insert(at, odd[r.nextInt(odd.length)]);
        }
      }
      byte[] bytes = corrupt(doc.toString().getBytes(StandardCharsets.UTF_8), r);
      body.set(bytes);
      try {
        Batch batch = rss.poll(NODES.objectNode());
        batch.posts().forEach(ParserFuzzTest::wellFormed);
        batch.rejected().forEach(b -> assertThat(b.reason()).isNotBlank());
        read++;
      } catch (IOException expected) {
        // the document as a whole is unreadable: the poll fails and is retried
      } catch (RuntimeException e) {
        fail("document " + i + " threw " + e + ": " + new String(bytes, StandardCharsets.UTF_8), e);
      }
    }
    assertThat(read).as("some mutated documents are still feeds").isGreaterThan(40);

    Path secret = dir.resolve("secret.txt");
    Files.writeString(secret, "TOP-SECRET-FILE-CONTENT");
    String xxe = "<?xml version=\"1.0\"?><!DOCTYPE rss [<!ENTITY x SYSTEM \"" + secret.toUri() + "\">"
        + "<!ENTITY lol \"lol\"><!ENTITY lol2 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">]>"
        + "<rss version=\"2.0\"><channel><title>t</title><item><title>&x; &lol2;</title><guid>1</guid>"
        + "</item></channel></rss>";
    body.set(xxe.getBytes(StandardCharsets.UTF_8));
    try {
      Batch batch = rss.poll(NODES.objectNode());
      assertThat(batch.posts()).allSatisfy(p -> assertThat(p.text()).doesNotContain("TOP-SECRET")
          .doesNotContain("lollol"));
    } catch (IOException refused) {
      assertThat(refused.getMessage()).doesNotContain("TOP-SECRET");
    }
  }

  @Test
  void everyReplayLineIsAPostOrARejectedItem() throws Exception {
    Random r = new Random(SEED + 3);
    ObjectNode valid = (ObjectNode) JSON.readTree(dev.pulse.event.EventJson.toJson(Post.of("replay:0",
        dev.pulse.event.Source.REPLAY, "f", null, "acme", "en", java.time.Instant.parse("2026-11-24T20:00:00Z"),
        java.time.Instant.parse("2026-11-24T20:00:00Z"), null, null, dev.pulse.event.Engagement.NONE)));
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < 3000; i++) {
      ObjectNode post = valid.deepCopy().put("id", "replay:" + i);
      if (r.nextInt(3) > 0) {
        mutate(post, r, i);
      }
      String line = new String(corrupt(JSON.writeValueAsBytes(post), r), StandardCharsets.UTF_8)
          .replace('\n', ' ').replace('\r', ' ');
      lines.add(line.isBlank() ? "{}" : line);
    }
    Path file = dir.resolve("fuzz.jsonl");
    Files.write(file, lines);
    ReplaySource replay = new ReplaySource("fuzz", new IngestConfig.Replay(file.toString(), 0.0, 100_000),
        http(new AtomicReference<>()));
    Batch batch;
    try {
      batch = replay.poll(NODES.objectNode());
    } catch (RuntimeException e) {
      throw new AssertionError("the replay threw " + e, e);
    }
    assertThat(batch.posts().size() + batch.rejected().size()).isEqualTo(lines.size());
    assertThat(batch.rejected()).isNotEmpty().allSatisfy(b -> assertThat(b.what()).contains("line"));
    batch.posts().forEach(ParserFuzzTest::wellFormed);
  }

  /** What consumers rely on: an id, a text and a creation time; and it serialises. */
  private static void wellFormed(Post post) {
    assertThat(post.id()).isNotBlank();
    assertThat(post.text()).isNotNull();
    assertThat(post.createdAt()).isNotNull();
    assertThat(dev.pulse.event.EventJson.parsePost(dev.pulse.event.EventJson.toBytes(post)))
        .isInstanceOf(dev.pulse.event.Parsed.Valid.class);
  }
}
