package dev.pulse.ingest;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The ingester's cursor, as a small JSON document in a file (on the ingester's volume). Written only after Kafka
 * acknowledged the batch, through a temporary file and an atomic rename, so a crash leaves either the old or the
 * new cursor, never half of one.
 */
public final class CheckpointStore {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final Path file;

  public CheckpointStore(Path file) {
    this.file = file;
  }

  public ObjectNode load() throws IOException {
    if (!Files.exists(file) || Files.size(file) == 0) {
      return JSON.createObjectNode();
    }
    try {
      return (ObjectNode) JSON.readTree(file.toFile());
    } catch (IOException | ClassCastException e) {
      throw new IOException("checkpoint " + file + " is unreadable; fix or remove it to start from scratch", e);
    }
  }

  /**
   * The sequence number of the last batch committed to Kafka when the cursor was saved, from the file beside it
   * ({@code <file>.seq}); -1 when there is none (written before sequence numbers, or lost in a crash between the two
   * renames: the cursor on the topic is then preferred, and it is the same cursor or a newer one).
   */
  public long loadSeq() throws IOException {
    Path seqFile = seqFile();
    if (!Files.exists(seqFile)) {
      return -1;
    }
    try {
      return Long.parseLong(Files.readString(seqFile).trim());
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /** Saves the cursor, then the sequence number of the newest batch committed with it in Kafka. */
  public void save(ObjectNode cursor, long seq) throws IOException {
    save(cursor);
    write(seqFile(), Long.toString(seq).getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  private Path seqFile() {
    return file.resolveSibling(file.getFileName() + ".seq");
  }

  public void save(ObjectNode cursor) throws IOException {
    write(file, JSON.writeValueAsBytes(cursor));
  }

  private static void write(Path file, byte[] content) throws IOException {
    Path dir = file.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path tmp = Files.createTempFile(dir, file.getFileName().toString(), ".tmp");
    try {
      Files.write(tmp, content);
      try {
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(tmp);
    }
  }
}
