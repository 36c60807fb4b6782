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
    if (!Files.exists(file)) {
      return JSON.createObjectNode();
    }
    try {
      return (ObjectNode) JSON.readTree(file.toFile());
    } catch (IOException | ClassCastException e) {
      throw new IOException("checkpoint " + file + " is unreadable; fix or remove it to start from scratch", e);
    }
  }

  public void save(ObjectNode cursor) throws IOException {
    Path dir = file.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path tmp = Files.createTempFile(dir, file.getFileName().toString(), ".tmp");
    try {
      JSON.writeValue(tmp.toFile(), cursor);
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
