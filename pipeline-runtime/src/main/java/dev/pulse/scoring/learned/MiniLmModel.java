package dev.pulse.scoring.learned;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.langchain4j.model.embedding.onnx.AbstractInProcessEmbeddingModel;
import dev.langchain4j.model.embedding.onnx.OnnxBertBiEncoder;
import dev.langchain4j.model.embedding.onnx.PoolingMode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.concurrent.Executor;

/**
 * all-MiniLM-L6-v2 from LangChain4j's artifacts (the same ONNX file, tokenizer and mean pooling as its
 * {@code AllMiniLmL6V2*EmbeddingModel}), with our own ONNX Runtime session options: one intra-op thread per call
 * and no spin-waiting. A pipeline embeds many posts at once from several threads (one real-time task per partition,
 * or LangChain4j's list executor), so the parallelism is across posts; ONNX Runtime's default of one spinning thread
 * per core inside every call made those threads busy-wait against each other and against Kafka and Spark.
 */
final class MiniLmModel extends AbstractInProcessEmbeddingModel {
  private final OnnxBertBiEncoder encoder;

  MiniLmModel(boolean quantized, int intraOpThreads, Executor executor) {
    super(executor);
    String name = quantized ? "all-minilm-l6-v2-q" : "all-minilm-l6-v2";
    try {
      OrtEnvironment env = OrtEnvironment.getEnvironment();
      OrtSession.SessionOptions options = new OrtSession.SessionOptions();
      options.setIntraOpNumThreads(intraOpThreads);
      options.addConfigEntry("session.intra_op.allow_spinning", "0");
      OrtSession session = env.createSession(bytes("/" + name + ".onnx"), options);
      try (InputStream tokenizer = resource("/" + name + "-tokenizer.json")) {
        this.encoder = new OnnxBertBiEncoder(env, session, tokenizer, PoolingMode.MEAN);
      }
    } catch (OrtException e) {
      throw new IllegalStateException("cannot load " + name + ": " + e.getMessage(), e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  protected OnnxBertBiEncoder model() {
    return encoder;
  }

  @Override
  protected Integer knownDimension() {
    return Embedder.DIMENSION;
  }

  private static byte[] bytes(String resource) throws IOException {
    try (InputStream in = resource(resource)) {
      return in.readAllBytes();
    }
  }

  private static InputStream resource(String name) {
    InputStream in = MiniLmModel.class.getResourceAsStream(name);
    if (in == null) throw new IllegalStateException(name + " is not on the classpath");
    return in;
  }
}
