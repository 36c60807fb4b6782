package dev.pulse.ingest;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;

/** One kind of source. poll is given the last saved cursor and must not change it (it returns a new one). */
public interface FeedSource {
  Batch poll(ObjectNode cursor) throws IOException, InterruptedException;
}
