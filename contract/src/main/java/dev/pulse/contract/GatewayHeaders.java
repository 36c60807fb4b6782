package dev.pulse.contract;

/** HTTP headers of the LLM gateway's API that its callers (the stream core, the dashboard) and the gateway share. */
public final class GatewayHeaders {
  /**
   * How long the caller still waits for the answer, in milliseconds: the gateway ends the batch a margin before it,
   * so no LLM call is made (or budget spent) for an answer nobody reads.
   */
  public static final String DEADLINE_MS = "Pulse-Deadline-Ms";

  private GatewayHeaders() {}
}
