package dev.pulse.testsupport;

import java.io.IOException;
import java.net.ServerSocket;

/** Ports free now on this machine, for the child processes and servers the tests and dev tools start. */
public final class FreePorts {
  private FreePorts() {}

  /** One port, bound and released: nothing listens on it until someone takes it. */
  public static int one() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  /** Distinct free ports: all sockets are held open until each has its port, so none is handed out twice. */
  public static int[] distinct(int n) throws IOException {
    ServerSocket[] sockets = new ServerSocket[n];
    try {
      int[] ports = new int[n];
      for (int i = 0; i < n; i++) {
        sockets[i] = new ServerSocket(0);
        ports[i] = sockets[i].getLocalPort();
      }
      return ports;
    } finally {
      for (ServerSocket s : sockets) {
        if (s != null) s.close();
      }
    }
  }
}
