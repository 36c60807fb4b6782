package dev.pulse.testsupport;

import io.qdrant.client.grpc.Points.Vector;
import java.util.List;

/** Vector decoding and the similarity Search ranks by. */
final class Vectors {
  private Vectors() {}

  /** Accepts both encodings the client may send: the current {@code dense} and the older {@code data}. */
  @SuppressWarnings("deprecation")
  static float[] dense(Vector v) {
    return of(v.hasDense() ? v.getDense().getDataList() : v.getDataList());
  }

  static float[] of(List<Float> values) {
    float[] out = new float[values.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = values.get(i);
    }
    return out;
  }

  static double cosine(float[] a, float[] b) {
    double dot = 0;
    double na = 0;
    double nb = 0;
    for (int i = 0; i < a.length; i++) {
      dot += a[i] * b[i];
      na += a[i] * a[i];
      nb += b[i] * b[i];
    }
    return na == 0 || nb == 0 ? 0 : dot / Math.sqrt(na * nb);
  }
}
