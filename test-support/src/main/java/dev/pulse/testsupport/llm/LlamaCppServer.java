package dev.pulse.testsupport.llm;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The real LLM on CPU: llama.cpp's OpenAI-compatible server ({@code hack/llm/serve.sh}: llama-cpp-python built from
 * source once and cached, SmolLM2-135M-Instruct Q4_1 from its PyPI wheel) as a child process on a free port of this
 * machine. Not a stand-in: what answers is the model. The first start on a machine compiles llama.cpp (minutes);
 * later ones take a second or two.
 */
public final class LlamaCppServer implements AutoCloseable {
  /** The served name of the base model (hack/llm/serve.sh's --base-name default). */
  public static final String BASE_MODEL = "smollm2-135m-instruct";

  private final ChildProcess process;
  private final int port;

  private LlamaCppServer(ChildProcess process, int port) {
    this.process = process;
    this.port = port;
  }

  /**
   * @param repo the Pulse source tree (it holds hack/llm/serve.sh)
   * @param adapters served name → LoRA adapter in llama.cpp's GGUF format, each served beside the base model
   * @param logDir where the server's log goes (server-PORT.log)
   * @param deadline how long to wait for it, the engine's first build included
   */
  public static LlamaCppServer start(Path repo, Map<String, Path> adapters, Path logDir, Duration deadline)
      throws IOException, InterruptedException {
    Path serve = repo.resolve("hack/llm/serve.sh");
    if (!Files.isRegularFile(serve)) {
      throw new IOException("the real LLM is started by " + serve + ", which is not there (run from the Pulse"
          + " source tree)");
    }
    int port = dev.pulse.testsupport.FreePorts.one();
    List<String> cmd = new ArrayList<>(List.of("bash", serve.toString(), "--port", Integer.toString(port)));
    new LinkedHashMap<>(adapters).forEach((name, file) -> cmd.addAll(List.of("--adapter", name + "=" + file)));
    ChildProcess p = ChildProcess.start("llama.cpp server", cmd, repo, Map.of(),
        logDir.resolve("llamacpp-server-" + port + ".log"));
    LlamaCppServer server = new LlamaCppServer(p, port);
    p.awaitReady(URI.create(server.baseUrl() + "/models"), deadline);
    return server;
  }

  /** The OpenAI-compatible root, ending in /v1 (what the gateway's PULSE_VLLM_BASE_URL takes). */
  public String baseUrl() {
    return "http://127.0.0.1:" + port + "/v1";
  }

  public int port() {
    return port;
  }

  public Path log() {
    return process.log();
  }

  public boolean alive() {
    return process.alive();
  }

  @Override
  public void close() {
    process.close();
  }

  /** The Pulse source tree above {@code start}: the first directory up that holds hack/llm/serve.sh. */
  public static Path findRepo(Path start) throws IOException {
    for (Path p = start.toAbsolutePath(); p != null; p = p.getParent()) {
      if (Files.isRegularFile(p.resolve("hack/llm/serve.sh"))) {
        return p;
      }
    }
    throw new IOException("no Pulse source tree (hack/llm/serve.sh) above " + start.toAbsolutePath());
  }

  /** Default deadline for a start: generous, since the first one on a machine compiles llama.cpp. */
  public static final Duration FIRST_START = Duration.ofMinutes(30);
}
