package dev.pulse.e2e;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Git over HTTP on 127.0.0.1, as a Git host serves it to Flux's source-controller (which speaks HTTP(S) and SSH
 * only): Git's own {@code git http-backend} run as a CGI program per request behind the JDK's HTTP server. Read
 * only: the test pushes to the bare repositories under {@link #root()} directly (see {@link GitRepo}).
 */
final class GitServer implements AutoCloseable {

  private static final String BACKEND = "/usr/lib/git-core/git-http-backend";

  private final Path root;
  private final HttpServer server;

  private GitServer(Path root, HttpServer server) {
    this.root = root;
    this.server = server;
  }

  /** Serves every bare repository under {@code root} as http://127.0.0.1:PORT/NAME.git. */
  static GitServer start(Path root) {
    if (!java.nio.file.Files.isExecutable(Path.of(BACKEND))) {
      throw new IllegalStateException(BACKEND + " is missing: it comes with Git (Debian: apt-get install git)");
    }
    try {
      HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
      GitServer git = new GitServer(root, server);
      server.createContext("/", git::handle);
      server.setExecutor(Executors.newFixedThreadPool(4));
      server.start();
      return git;
    } catch (IOException e) {
      throw new IllegalStateException("cannot start the Git HTTP server", e);
    }
  }

  Path root() {
    return root;
  }

  URI url(String repository) {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/" + repository + ".git");
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      byte[] body = exchange.getRequestBody().readAllBytes();
      ProcessBuilder cgi = new ProcessBuilder(BACKEND).redirectError(ProcessBuilder.Redirect.DISCARD);
      Map<String, String> env = cgi.environment();
      env.put("GIT_PROJECT_ROOT", root.toString());
      env.put("GIT_HTTP_EXPORT_ALL", "1");
      env.put("GATEWAY_INTERFACE", "CGI/1.1");
      env.put("SERVER_PROTOCOL", "HTTP/1.1");
      env.put("REQUEST_METHOD", exchange.getRequestMethod());
      env.put("PATH_INFO", exchange.getRequestURI().getPath());
      env.put("QUERY_STRING", exchange.getRequestURI().getRawQuery() == null ? "" : exchange.getRequestURI().getRawQuery());
      env.put("REMOTE_ADDR", exchange.getRemoteAddress().getAddress().getHostAddress());
      env.put("CONTENT_LENGTH", String.valueOf(body.length));
      header(exchange, "Content-Type").ifPresent(v -> env.put("CONTENT_TYPE", v));
      header(exchange, "Content-Encoding").ifPresent(v -> env.put("HTTP_CONTENT_ENCODING", v));
      header(exchange, "Git-Protocol").ifPresent(v -> env.put("GIT_PROTOCOL", v));
      Process process = cgi.start();
      // The request body is written from its own thread, so a large answer cannot block a large request.
      Thread writer = new Thread(() -> {
        try (OutputStream in = process.getOutputStream()) {
          in.write(body);
        } catch (IOException ignored) {
          // the backend stopped reading: its answer says why
        }
      }, "git-http-backend-stdin");
      writer.start();
      byte[] output = process.getInputStream().readAllBytes();
      process.waitFor(1, TimeUnit.MINUTES);
      respond(exchange, output);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException | IOException e) {
      System.out.println("[e2e] git http-backend failed for " + exchange.getRequestURI() + ": " + e);
      throw e;
    }
  }

  /** A CGI answer: header lines, an empty line, the body; "Status: 404 Not Found" sets the status. */
  private static void respond(HttpExchange exchange, byte[] output) throws IOException {
    int status = 200;
    int at = 0;
    while (at < output.length) {
      int end = at;
      while (end < output.length && output[end] != '\n') {
        end++;
      }
      String line = new String(output, at, end - at, StandardCharsets.ISO_8859_1).stripTrailing();
      at = Math.min(end + 1, output.length);
      if (line.isEmpty()) {
        break;
      }
      int colon = line.indexOf(':');
      if (colon <= 0) {
        continue;
      }
      String name = line.substring(0, colon).trim();
      String value = line.substring(colon + 1).trim();
      if (name.equalsIgnoreCase("Status")) {
        status = Integer.parseInt(value.split(" ")[0]);
      } else {
        exchange.getResponseHeaders().add(name, value);
      }
    }
    int length = output.length - at;
    exchange.sendResponseHeaders(status, length == 0 ? -1 : length);
    if (length > 0) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(output, at, length);
      }
    }
  }

  private static java.util.Optional<String> header(HttpExchange exchange, String name) {
    return java.util.Optional.ofNullable(exchange.getRequestHeaders().getFirst(name));
  }

  @Override
  public void close() {
    server.stop(0);
    ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
  }

  /** Runs git with no user configuration of this host, so identity and defaults are the test's own. */
  static String git(Path dir, String... args) {
    List<String> command = new ArrayList<>(List.of("git", "-c", "user.name=Pulse e2e", "-c",
        "user.email=e2e@pulse.invalid", "-c", "init.defaultBranch=main", "-c", "commit.gpgsign=false"));
    command.addAll(List.of(args));
    try {
      ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
      builder.environment().put("GIT_CONFIG_NOSYSTEM", "1");
      builder.environment().put("HOME", dir.toString());
      Process process = builder.start();
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      try (InputStream in = process.getInputStream()) {
        in.transferTo(out);
      }
      if (!process.waitFor(2, TimeUnit.MINUTES) || process.exitValue() != 0) {
        throw new IllegalStateException(String.join(" ", command) + " failed in " + dir + ":\n" + out);
      }
      return out.toString(StandardCharsets.UTF_8).strip();
    } catch (IOException e) {
      throw new IllegalStateException("cannot run git", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted running git", e);
    }
  }
}
