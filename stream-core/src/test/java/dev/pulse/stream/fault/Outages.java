package dev.pulse.stream.fault;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Dependencies that are out, for the fault suite (this module's and the Spark job's, through the test-jar). */
public final class Outages {
  private Outages() {}

  /** A TCP server that accepts every connection and never reads or answers: a hung process. */
  public static final class BlackHole implements AutoCloseable {
    private final ServerSocket server;
    private final List<Socket> held = new CopyOnWriteArrayList<>();

    public BlackHole() throws IOException {
      server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
      Thread acceptor = new Thread(() -> {
        while (!server.isClosed()) {
          try {
            held.add(server.accept());
          } catch (IOException closed) {
            return;
          }
        }
      }, "black-hole-" + server.getLocalPort());
      acceptor.setDaemon(true);
      acceptor.start();
    }

    public int port() {
      return server.getLocalPort();
    }

    @Override
    public void close() throws IOException {
      server.close();
      for (Socket s : held) {
        s.close();
      }
    }
  }

  /** A loopback port nothing listens on: connections are refused at once. */
  public static int closedPort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }
}
