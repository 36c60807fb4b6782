package dev.pulse.scoring.learned;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import java.io.ByteArrayInputStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Attention pooling, its joint training with the head, and averaging heads, on synthetic token states. */
class TokenAttentionTest {
  private static final int D = Embedder.DIMENSION;

  @Test
  void aZeroQueryIsTheMeanAndAQueryPicksTheTokenItPointsAt() {
    float[][] tokens = new float[3][D];
    tokens[0][0] = 1;
    tokens[1][1] = 1;
    tokens[2][2] = 1;
    float[] mean = new TokenAttention(new double[1][D]).pool(tokens);
    assertThat(mean[0]).isCloseTo(1 / 3f, offset(1e-6f));
    assertThat(mean[2]).isCloseTo(1 / 3f, offset(1e-6f));

    double[] q = new double[D];
    q[1] = 20; // exp(20) against exp(0): all weight on token 1
    float[] picked = new TokenAttention(new double[][] {q}).pool(tokens);
    assertThat(picked[1]).isCloseTo(1f, offset(1e-6f));
    assertThat(picked[0]).isCloseTo(0f, offset(1e-6f));
  }

  @Test
  void writesAndReadsBack() throws Exception {
    double[] q = new double[D];
    for (int j = 0; j < D; j++) q[j] = Math.sin(j) / 7;
    TokenAttention a = new TokenAttention(new double[][] {q, q.clone()});
    StringWriter w = new StringWriter();
    a.write(w, "test");
    TokenAttention b = TokenAttention.read(new ByteArrayInputStream(w.toString().getBytes(StandardCharsets.UTF_8)));
    assertThat(b.heads()).isEqualTo(2);
    for (int j = 0; j < D; j++) assertThat(b.queries[1][j]).isCloseTo(q[j], offset(1e-6));
    assertThat(TokenAttention.none().dimension()).isZero();
  }

  @Test
  void bfloat16KeepsThreeSignificantDigits() {
    float[][] s = {new float[D]};
    s[0][0] = 0.123456f;
    s[0][1] = -17.5f;
    s[0][2] = 3e-5f;
    float[][] back = TokenStates.of(s).decode();
    assertThat(back[0][0]).isCloseTo(0.123456f, offset(0.001f));
    assertThat(back[0][1]).isEqualTo(-17.5f);
    assertThat(back[0][2]).isCloseTo(3e-5f, offset(3e-7f));
  }

  /**
   * Eight noise tokens per post, one of which carries the class (a strong value in the class's dimension). Mean
   * pooling dilutes that token eightfold among the noise; a trained query finds it. Fails if the gradient through
   * the pooling is wrong: the query then does not learn, and attention is no better than the mean.
   */
  @Test
  void trainingTheQueryBeatsMeanPoolingWhenOneTokenCarriesTheClass() {
    Toy train = toy(1500, 1), val = toy(600, 2);
    SoftmaxTrainer.Options mean = new SoftmaxTrainer.Options(0, 1e-4, 8, 0.01, 64, 3, 0);
    SoftmaxTrainer.Options attention = new SoftmaxTrainer.Options(0, 1e-4, 8, 0.01, 64, 3, 1);
    SoftmaxTrainer.Validation v = new SoftmaxTrainer.Validation(val.x, val.tokens, val.y);
    // Without attention the head sees the mean-pooled tokens as fixed features.
    SoftmaxTrainer.Trained plain = SoftmaxTrainer.train(withMean(train), null, train.y, mean, null, null);
    double plainRecall = SoftmaxTrainer.macroRecall(plain, new SoftmaxTrainer.Validation(withMean(val), null, val.y));
    SoftmaxTrainer.Trained attended = SoftmaxTrainer.train(train.x, train.tokens, train.y, attention, null, null);
    double attendedRecall = SoftmaxTrainer.macroRecall(attended, v);
    assertThat(attendedRecall).isGreaterThan(plainRecall + 0.1).isGreaterThan(0.9);

    SoftmaxTrainer.Trained again = SoftmaxTrainer.train(train.x, train.tokens, train.y, attention, null, null);
    assertThat(again.attention().queries[0]).containsExactly(attended.attention().queries[0]);
  }

  @Test
  void lightHeadsAverageTheirMembersAndSurviveTheirFile() throws Exception {
    Toy train = toy(400, 5), val = toy(50, 6);
    for (int hidden : new int[] {0, 8}) {
      List<SoftmaxTrainer.Trained> members = List.of(
          SoftmaxTrainer.train(train.x, train.tokens, train.y, new SoftmaxTrainer.Options(hidden, 1e-4, 2, 0.01, 64, 1, 1), null, null),
          SoftmaxTrainer.train(train.x, train.tokens, train.y, new SoftmaxTrainer.Options(hidden, 1e-4, 2, 0.01, 64, 2, 1), null, null));
      LightHeads heads = new LightHeads(List.of(members.get(0).head(), members.get(1).head()),
          new TokenAttention(new double[][] {members.get(0).attention().queries[0], members.get(1).attention().queries[0]}), 1.3);
      java.io.ByteArrayOutputStream file = new java.io.ByteArrayOutputStream();
      heads.write(file);
      LightHeads back = LightHeads.read(new ByteArrayInputStream(file.toByteArray()));
      assertThat(back.members()).isEqualTo(2);
      assertThat(back.temperature()).isEqualTo(1.3);
      for (int i = 0; i < val.y.length; i++) {
        float[][] t = val.tokens[i].decode();
        double[] a = members.get(0).logits(val.x[i], t), b = members.get(1).logits(val.x[i], t);
        float[] attended = heads.attention().pool(t);
        assertThat(attended).hasSize(2 * D);
        double[] m = heads.logits(val.x[i], attended);
        // float32 weights: the mean of the double-precision members' logits to ~1e-5
        for (int c = 0; c < 3; c++) assertThat(m[c]).isCloseTo((a[c] + b[c]) / 2, offset(1e-4));
        assertThat(back.logits(val.x[i], back.attention().pool(t))).containsExactly(m);
      }
    }
  }

  private record Toy(double[][] x, TokenStates[] tokens, int[] y) {}

  private static Toy toy(int n, long seed) {
    Random rnd = new Random(seed);
    double[][] x = new double[n][];
    TokenStates[] tokens = new TokenStates[n];
    int[] y = new int[n];
    for (int i = 0; i < n; i++) {
      y[i] = i % 3;
      float[][] t = new float[8][D];
      for (float[] row : t) for (int j = 0; j < D; j++) row[j] = (float) rnd.nextGaussian();
      float[] signal = t[rnd.nextInt(8)];
      signal[10 + y[i]] += 4; // the class's dimension
      signal[20] += 4; // a marker the query can find whatever the class
      tokens[i] = TokenStates.of(t);
      x[i] = new double[] {rnd.nextGaussian()};
    }
    return new Toy(x, tokens, y);
  }

  private static double[][] withMean(Toy t) {
    double[][] out = new double[t.y.length][];
    for (int i = 0; i < out.length; i++) {
      float[] m = new TokenAttention(new double[1][D]).pool(t.tokens[i].decode());
      out[i] = SoftmaxTrainer.concat(t.x[i], m);
    }
    return out;
  }
}
