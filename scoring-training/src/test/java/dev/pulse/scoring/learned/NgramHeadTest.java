package dev.pulse.scoring.learned;

import dev.pulse.scoring.training.NgramTrainer;

import dev.pulse.scoring.training.*;





import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The hashed n-gram features and the n-gram logistic regression of the learned tier. */
class NgramHeadTest {

  private static final List<String> TEXTS = List.of(
      "I love this phone", "love it so much", "best day ever", "great game tonight", "so happy with the update",
      "I hate this phone", "worst day ever", "terrible service", "so angry with the update", "hate it so much",
      "the store opens at 9", "game starts tonight at 8", "new update out today", "meeting on monday", "phone call");
  private static final int[] LABELS = {2, 2, 2, 2, 2, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1};
  private static final NgramTrainer.Options OPTIONS = new NgramTrainer.Options(12, 4, 1, 1e-5, 30, 0.05, 4, 7);

  @Test
  void tokensAreNormalised() {
    assertThat(NgramFeatures.tokens("@bob Sooooo GOOD!!! #Winning http://t.co/x 😍😍"))
        .containsExactly("@user", "soo", "good", "!", "winning", "http", "😍");
    assertThat(NgramFeatures.tokens("")).isEmpty();
  }

  @Test
  void bucketsAreDeterministicSortedAndDistinct() {
    int[] a = NgramFeatures.buckets("so good so good 😍", 18, 5);
    assertThat(a).isSorted().doesNotHaveDuplicates();
    assertThat(NgramFeatures.buckets("so good so good 😍", 18, 5)).isEqualTo(a);
    // the same post in another form: elongation, case, mentions
    assertThat(NgramFeatures.buckets("@x SOOOOO good so gooooood 😍😍 http://t.co/a", 18, 5))
        .isEqualTo(NgramFeatures.buckets("@y sooo good so good 😍 https://b.c", 18, 5));
    // fixed values: the hash must not change between JVMs or releases without re-training
    assertThat(NgramFeatures.buckets("good", 18)).containsExactly(NgramFeatures.bucket(NgramFeatures.hash(1, "good"), 18));
    assertThat(NgramFeatures.bucket(NgramFeatures.hash(1, "good"), 18)).isEqualTo(GOOD_BUCKET);
    for (int b : NgramFeatures.buckets("a long post with many words and ❤️ emoji", 10, 5)) assertThat(b).isBetween(0, 1023);
  }

  static final int GOOD_BUCKET = 47523;

  @Test
  void trainingIsDeterministicAndLearnsTheToyTask() throws Exception {
    NgramHead a = NgramTrainer.train(TEXTS, LABELS, OPTIONS, null);
    NgramHead b = NgramTrainer.train(TEXTS, LABELS, OPTIONS, null);
    assertThat(bytes(b)).isEqualTo(bytes(a));
    assertThat(argmax(a.logits("I love it"))).isEqualTo(2);
    assertThat(argmax(a.logits("I hate it"))).isEqualTo(0);
    assertThat(argmax(a.logits("opens on monday"))).isEqualTo(1);
  }

  @Test
  void survivesFileAndJavaSerialisation() throws Exception {
    NgramHead head = NgramTrainer.train(TEXTS, LABELS, OPTIONS, null).withMix(0.4, 0.8);
    NgramHead read = NgramHead.read(new ByteArrayInputStream(bytes(head)));
    assertThat(bytes(read)).isEqualTo(bytes(head));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (ObjectOutputStream o = new ObjectOutputStream(out)) {
      o.writeObject(head);
    }
    NgramHead copy;
    try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(out.toByteArray()))) {
      copy = (NgramHead) in.readObject();
    }
    double[] z = {0.3, -0.2, 0.5};
    for (String t : List.of("love it", "hate it", "", "opens on monday 😍")) {
      assertThat(read.probabilities(z, t)).isEqualTo(head.probabilities(z, t));
      assertThat(copy.probabilities(z, t)).isEqualTo(head.probabilities(z, t));
    }
  }

  @Test
  void mixWeighsTheTwoModels() {
    NgramHead head = NgramTrainer.train(TEXTS, LABELS, OPTIONS, null);
    double[] z = {0.3, -0.2, 0.5};
    assertThat(head.withMix(1, 1).probabilities(z, "hate it")).isEqualTo(SoftmaxHead.softmax(z, 1));
    assertThat(head.withMix(0, 1).probabilities(z, "hate it")).isEqualTo(SoftmaxHead.softmax(head.logits("hate it"), 1));
    double[] p = head.withMix(0.5, 2).probabilities(z, "hate it");
    assertThat(p[0] + p[1] + p[2]).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-12));
  }

  static byte[] bytes(NgramHead h) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    h.write(out);
    return out.toByteArray();
  }

  static int argmax(double[] z) {
    int best = 0;
    for (int i = 1; i < z.length; i++) if (z[i] > z[best]) best = i;
    return best;
  }
}
