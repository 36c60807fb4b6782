package dev.pulse.ingest;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Readiness from what the ingester last achieved: ready once a poll succeeded within {@code staleAfter} (a poll
 * succeeds when its batch, possibly empty, was delivered), or once a replay has sent its whole file. A process that
 * runs but cannot fetch or deliver (credentials revoked, broker gone, every feed URL broken) turns not-ready after
 * {@code staleAfter}, so the Deployment, and the SourceFeed's Ingester condition, say so.
 */
public final class PollHealth {
  private final Clock clock;
  private final Duration staleAfter;
  private final Instant started;
  private volatile Instant lastSuccess;
  private volatile Instant lastFailure;
  private volatile String lastProblem;
  private volatile boolean finished;

  public PollHealth(Clock clock, Duration staleAfter) {
    this.clock = clock;
    this.staleAfter = staleAfter;
    this.started = clock.instant();
  }

  public void succeeded() {
    lastSuccess = clock.instant();
  }

  public void failed(String problem) {
    lastFailure = clock.instant();
    lastProblem = problem;
  }

  /** The source has nothing more to send (a replay at its end): ready for good. */
  public void finished() {
    finished = true;
  }

  public boolean ready() {
    Instant last = lastSuccess;
    return finished || (last != null && !clock.instant().isAfter(last.plus(staleAfter)));
  }

  /** One line for the readiness endpoint: why ready or not (no secret can be in it: problems are logged lines). */
  public String describe() {
    Instant now = clock.instant();
    Instant last = lastSuccess;
    String bound = " (staleAfter " + staleAfter.toSeconds() + "s)";
    if (finished) {
      return "ready: the source is exhausted, everything was sent";
    }
    String problem = lastProblem == null ? "" : "; last failure " + secondsAgo(lastFailure, now) + " ago: "
        + lastProblem;
    if (last == null) {
      return "not ready: no poll has succeeded since the start " + secondsAgo(started, now) + " ago" + bound + problem;
    }
    return (ready() ? "ready" : "not ready") + ": last successful poll " + secondsAgo(last, now) + " ago" + bound
        + (ready() ? "" : problem);
  }

  public Duration staleAfter() {
    return staleAfter;
  }

  private static String secondsAgo(Instant then, Instant now) {
    return then == null ? "?" : Duration.between(then, now).toSeconds() + "s";
  }
}
