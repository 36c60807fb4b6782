package dev.pulse.scoring.learned;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.LongBuffer;
import java.util.HashMap;
import java.util.Map;

/**
 * all-MiniLM-L6-v2 from LangChain4j's artifacts (its ONNX file and tokenizer), run on ONNX Runtime directly so that
 * one forward pass gives both the sentence vector Qdrant stores (mean pooling over all word pieces and L2
 * normalisation, as LangChain4j's {@code OnnxBertBiEncoder} computes it) and the per-token states the scorer's
 * attention pooling reads, which LangChain4j's encoder does not expose.
 *
 * <p>Session options: one intra-op thread per call and no spin-waiting. A pipeline embeds many posts at once from
 * several threads (one real-time task per partition, and {@link Embedder}'s pool), so the parallelism is across
 * posts; ONNX Runtime's default of one spinning thread per core inside every call made those threads busy-wait
 * against each other and against Kafka and Spark.
 */
final class MiniLmEncoder {
  private final OrtEnvironment env;
  private final OrtSession session;
  private final HuggingFaceTokenizer tokenizer;
  private final boolean typeIds;

  MiniLmEncoder(boolean quantized) {
    this(quantized, null);
  }

  /**
   * @param overlay null: LangChain4j's model as it is; otherwise the int8 model with this overlay applied (the
   *     fine-tuned encoder of the light scorer)
   */
  MiniLmEncoder(boolean quantized, EncoderOverlay overlay) {
    String name = quantized ? "all-minilm-l6-v2-q" : "all-minilm-l6-v2";
    if (overlay != null && !overlay.baseName().equals(name + ".onnx")) {
      throw new IllegalArgumentException("the encoder overlay patches " + overlay.baseName() + ", not " + name + ".onnx");
    }
    try {
      env = OrtEnvironment.getEnvironment();
      OrtSession.SessionOptions options = new OrtSession.SessionOptions();
      options.setIntraOpNumThreads(1);
      options.addConfigEntry("session.intra_op.allow_spinning", "0");
      byte[] model = bytes("/" + name + ".onnx");
      session = env.createSession(overlay == null ? model : overlay.apply(model), options);
      typeIds = session.getInputNames().contains("token_type_ids");
      try (InputStream in = resource("/" + name + "-tokenizer.json")) {
        // The options LangChain4j's encoder uses, so that texts become the same word pieces.
        tokenizer = HuggingFaceTokenizer.newInstance(in, Map.of("padding", "false"));
      }
    } catch (OrtException e) {
      throw new IllegalStateException("cannot load " + name + ": " + e.getMessage(), e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The last hidden state: one 384-dim row per word piece, [CLS] and [SEP] included. */
  float[][] tokenStates(String text) {
    return tokenStates(encode(text));
  }

  /** The word pieces this model reads for a text ([CLS] and [SEP] added). */
  Encoding encode(String text) {
    return tokenizer.encode(text, true, false);
  }

  /** The last hidden state for word pieces from {@link #encode} (of this model, or one with the same tokenizer). */
  float[][] tokenStates(Encoding encoding) {
    long[] ids = encoding.getIds();
    long[] shape = {1, ids.length};
    try (OnnxTensor input = OnnxTensor.createTensor(env, LongBuffer.wrap(ids), shape);
        OnnxTensor mask = OnnxTensor.createTensor(env, LongBuffer.wrap(encoding.getAttentionMask()), shape);
        OnnxTensor types = OnnxTensor.createTensor(env, LongBuffer.wrap(encoding.getTypeIds()), shape)) {
      Map<String, OnnxTensor> inputs = new HashMap<>();
      inputs.put("input_ids", input);
      inputs.put("attention_mask", mask);
      if (typeIds) inputs.put("token_type_ids", types);
      try (OrtSession.Result result = session.run(inputs)) {
        return ((float[][][]) result.get(0).getValue())[0];
      }
    } catch (OrtException e) {
      throw new IllegalStateException("MiniLM inference failed: " + e.getMessage(), e);
    }
  }

  /** The sentence vector: the mean of the token states, scaled to unit length. */
  static float[] meanPooled(float[][] states) {
    int d = states[0].length;
    float[] v = new float[d];
    for (float[] row : states) for (int j = 0; j < d; j++) v[j] += row[j];
    for (int j = 0; j < d; j++) v[j] /= states.length;
    float sum = 0;
    for (float x : v) sum += x * x;
    float norm = (float) Math.sqrt(sum);
    for (int j = 0; j < d; j++) v[j] /= norm;
    return v;
  }

  private static byte[] bytes(String resource) throws IOException {
    try (InputStream in = resource(resource)) {
      return in.readAllBytes();
    }
  }

  private static InputStream resource(String name) {
    InputStream in = MiniLmEncoder.class.getResourceAsStream(name);
    if (in == null) throw new IllegalStateException(name + " is not on the classpath");
    return in;
  }
}
