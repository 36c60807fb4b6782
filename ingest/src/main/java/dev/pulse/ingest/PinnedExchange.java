package dev.pulse.ingest;

import java.io.IOException;
import java.net.InetAddress;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

/**
 * One attempt of a request that may connect to the given, already checked addresses and to nothing else
 * ({@link PinnedHttpClient}; the parser fuzz test cans its answers instead).
 */
@FunctionalInterface
interface PinnedExchange {
  HttpResponse<byte[]> send(HttpRequest request, List<InetAddress> addresses, String what, long maxBodyBytes,
      Duration limit) throws IOException, InterruptedException;
}
