package dev.pulse.scoring.learned;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.LongBuffer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A BERT-family encoder from LangChain4j's artifacts (ONNX file and tokenizer): all-MiniLM-L6-v2, or the model a
 * fine-tuned {@link EncoderOverlay} patches. It runs on ONNX Runtime directly so that one forward pass gives both the
 * sentence vector Qdrant stores (mean pooling over all word pieces and L2 normalisation, as LangChain4j's
 * {@code OnnxBertBiEncoder} computes it) and the per-token states the scorer's attention pooling reads, which
 * LangChain4j's encoder does not expose.
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
  private final String wordPieces;

  /** LangChain4j's all-MiniLM-L6-v2 as it is, int8 or fp32. */
  MiniLmEncoder(boolean quantized) {
    this(quantized ? "all-minilm-l6-v2-q" : "all-minilm-l6-v2", null);
  }

  /** The fine-tuned encoder: the ONNX file the overlay names (a LangChain4j resource) with the overlay applied. */
  MiniLmEncoder(EncoderOverlay overlay) {
    this(overlay.baseName().replaceFirst("\\.onnx$", ""), overlay);
  }

  private MiniLmEncoder(String name, EncoderOverlay overlay) {
    try {
      env = OrtEnvironment.getEnvironment();
      OrtSession.SessionOptions options = new OrtSession.SessionOptions();
      options.setIntraOpNumThreads(1);
      options.addConfigEntry("session.intra_op.allow_spinning", "0");
      byte[] model = bytes("/" + name + ".onnx");
      session = env.createSession(overlay == null ? model : overlay.apply(model), options);
      typeIds = session.getInputNames().contains("token_type_ids");
      byte[] tokenizerJson = bytes("/" + name + "-tokenizer.json");
      ObjectNode json = (ObjectNode) new ObjectMapper().readTree(tokenizerJson);
      JsonNode truncation = json.get("truncation");
      // The options LangChain4j's encoder uses, so that texts become the same word pieces.
      // A file without a truncation section (e5's) gets the model's own limit named, which is what DJL would pick
      // anyway, minus its warning; texts reach it already cut at EmbeddingSettings.maxTokens.
      Map<String, String> tokenizerOptions = truncation != null && !truncation.isNull() ? Map.of("padding", "false")
          : Map.of("padding", "false", "maxLength", "512");
      tokenizer = HuggingFaceTokenizer.newInstance(new ByteArrayInputStream(tokenizerJson), tokenizerOptions);
      // What decides the word pieces: the file without its truncation and padding (LangChain4j's differ only there).
      wordPieces = json.remove(List.of("truncation", "padding")).toString();
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

  /**
   * True when the other model splits every text into the same word pieces (same vocabulary, normaliser, pre-tokeniser
   * and special tokens; truncation and padding aside), so one {@link #encode} serves both.
   */
  boolean readsTheSameWordPieces(MiniLmEncoder other) {
    return wordPieces.equals(other.wordPieces);
  }

  /** The last hidden state for word pieces from {@link #encode} (of this model, or one that reads the same ones). */
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
