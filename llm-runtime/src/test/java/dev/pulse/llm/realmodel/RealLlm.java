package dev.pulse.llm.realmodel;

import dev.pulse.testsupport.llm.LlamaCppServer;
import java.nio.file.Path;
import java.util.Map;

/**
 * The real model for this test JVM: one llama.cpp server (SmolLM2-135M-Instruct on CPU, {@link LlamaCppServer}),
 * started on first use and stopped when the JVM exits, behind a {@link RecordingProxy} so tests can read what the
 * gateway sent and what the model answered. The Maven build runs hack/llm/ensure-llamacpp.sh and ensure-model.sh
 * before the tests, so the start here takes seconds; from an IDE the first start may compile llama.cpp.
 */
final class RealLlm {
  private static RealLlm instance;

  final LlamaCppServer server;
  final RecordingProxy proxy;

  private RealLlm(LlamaCppServer server, RecordingProxy proxy) {
    this.server = server;
    this.proxy = proxy;
  }

  static synchronized RealLlm get() {
    if (instance == null) {
      try {
        Path repo = LlamaCppServer.findRepo(Path.of(""));
        LlamaCppServer server =
            LlamaCppServer.start(repo, Map.of(), repo.resolve("llm-runtime/target/llm-logs"), LlamaCppServer.FIRST_START);
        RecordingProxy proxy = new RecordingProxy(server.baseUrl());
        Runtime.getRuntime().addShutdownHook(new Thread(proxy::close, "stop-recording-proxy"));
        instance = new RealLlm(server, proxy);
      } catch (Exception e) {
        throw new IllegalStateException("could not start the real LLM (hack/llm/serve.sh): " + e.getMessage(), e);
      }
    }
    return instance;
  }
}
