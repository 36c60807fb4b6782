package dev.pulse.scoring.learned;

import dev.pulse.scoring.training.SoftmaxTrainer;
import dev.pulse.scoring.training.TokenStates;

import dev.pulse.scoring.training.*;






import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import java.io.ByteArrayInputStream;
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
    float[][] projection = new float[D][4];
    for (int j = 0; j < D; j++) projection[j][j % 4] = j / 100f;
    for (TokenAttention a : List.of(new TokenAttention(new double[][] {q, q.clone()}),
        new TokenAttention(new double[][] {{1, 2, 3, 4}}, projection, new float[] {0.5f, 0, 0, -1}))) {
      java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
      a.write(new java.io.DataOutputStream(bytes));
      TokenAttention b = TokenAttention.read(new java.io.DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
      assertThat(b.heads()).isEqualTo(a.heads());
      assertThat(b.width()).isEqualTo(a.width());
      float[][] tokens = {new float[D], new float[D]};
      for (int j = 0; j < D; j++) tokens[1][j] = (float) Math.cos(j);
      assertThat(b.pool(tokens)).containsExactly(a.roundedToFloat().pool(tokens));
    }
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

  /**
   * The same task through a per-token ReLU layer of 16 units: the query must find the marker in what the layer makes
   * of the tokens, and the layer must learn to keep the class dimensions. Fails if the gradient into the layer (or
   * through the pooling into it) is wrong.
   */
  @Test
  void aTrainedProjectionAndQueryAlsoFindTheToken() {
    Toy train = toy(1500, 1), val = toy(600, 2);
    SoftmaxTrainer.Options mean = new SoftmaxTrainer.Options(0, 1e-4, 8, 0.01, 64, 3, 0);
    SoftmaxTrainer.Trained plain = SoftmaxTrainer.train(withMean(train), null, train.y, mean, null, null);
    double plainRecall = SoftmaxTrainer.macroRecall(plain, new SoftmaxTrainer.Validation(withMean(val), null, val.y));
    SoftmaxTrainer.Options projected = new SoftmaxTrainer.Options(16, 1e-4, 8, 0.01, 64, 3, 1, 16);
    SoftmaxTrainer.Trained t = SoftmaxTrainer.train(train.x, train.tokens, train.y, projected, null, null);
    assertThat(t.attention().width()).isEqualTo(16);
    assertThat(SoftmaxTrainer.macroRecall(t, new SoftmaxTrainer.Validation(val.x, val.tokens, val.y)))
        .isGreaterThan(plainRecall + 0.1).isGreaterThan(0.9);
  }

  @Test
  void dropoutIsDeterministicChangesTheWeightsAndStillLearns() {
    Toy train = toy(1500, 1), val = toy(600, 2);
    SoftmaxTrainer.Options plain = new SoftmaxTrainer.Options(16, 1e-4, 8, 0.01, 64, 3, 1, 0, 0);
    SoftmaxTrainer.Options dropped = new SoftmaxTrainer.Options(16, 1e-4, 8, 0.01, 64, 3, 1, 0, 0.2);
    SoftmaxTrainer.Trained a = SoftmaxTrainer.train(train.x, train.tokens, train.y, dropped, null, null);
    SoftmaxTrainer.Trained b = SoftmaxTrainer.train(train.x, train.tokens, train.y, dropped, null, null);
    SoftmaxTrainer.Trained c = SoftmaxTrainer.train(train.x, train.tokens, train.y, plain, null, null);
    assertThat(b.attention().queries[0]).containsExactly(a.attention().queries[0]);
    assertThat(c.attention().queries[0]).isNotEqualTo(a.attention().queries[0]);
    assertThat(SoftmaxTrainer.macroRecall(a, new SoftmaxTrainer.Validation(val.x, val.tokens, val.y))).isGreaterThan(0.8);
  }

  @Test
  void lightHeadsAverageTheirMembersAndSurviveTheirFile() throws Exception {
    Toy train = toy(400, 5), val = toy(50, 6);
    for (int hidden : new int[] {0, 8}) {
      int projection = hidden == 0 ? 0 : 16; // with and without the per-token layer
      List<SoftmaxTrainer.Trained> members = List.of(
          SoftmaxTrainer.train(train.x, train.tokens, train.y, new SoftmaxTrainer.Options(hidden, 1e-4, 2, 0.01, 64, 1, 1, projection), null, null),
          SoftmaxTrainer.train(train.x, train.tokens, train.y, new SoftmaxTrainer.Options(hidden, 1e-4, 2, 0.01, 64, 2, 1, projection), null, null));
      LightHeads heads = new LightHeads(List.of(members.get(0).head(), members.get(1).head()),
          List.of(members.get(0).attention(), members.get(1).attention()), 1.3);
      java.io.ByteArrayOutputStream file = new java.io.ByteArrayOutputStream();
      heads.write(file);
      LightHeads back = LightHeads.read(new ByteArrayInputStream(file.toByteArray()));
      assertThat(back.members()).isEqualTo(2);
      assertThat(back.temperature()).isEqualTo(1.3);
      for (int i = 0; i < val.y.length; i++) {
        float[][] t = val.tokens[i].decode();
        double[] a = members.get(0).logits(val.x[i], t), b = members.get(1).logits(val.x[i], t);
        float[] attended = heads.pooling().pool(t);
        assertThat(attended).hasSize(2 * (hidden == 0 ? D : 16));
        double[] m = heads.logits(val.x[i], attended);
        // float32 weights: the mean of the double-precision members' logits to ~1e-5
        for (int c = 0; c < 3; c++) assertThat(m[c]).isCloseTo((a[c] + b[c]) / 2, offset(1e-4));
        assertThat(back.logits(val.x[i], back.pooling().pool(t))).containsExactly(m);
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
