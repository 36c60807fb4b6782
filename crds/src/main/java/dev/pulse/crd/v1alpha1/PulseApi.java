package dev.pulse.crd.v1alpha1;

/** The API group and version of Pulse's resources. */
public final class PulseApi {
  private PulseApi() {}

  public static final String GROUP = "pulse.dev";
  public static final String VERSION = "v1alpha1";
  public static final String API_VERSION = GROUP + "/" + VERSION;
  /** {@code kubectl get pulse} lists every Pulse resource. */
  public static final String CATEGORY = "pulse";
}
