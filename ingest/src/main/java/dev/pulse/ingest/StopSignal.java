package dev.pulse.ingest;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A {@link Sleeper} that shutdown can wake: once stopped, every wait (poll interval, backoff, rate-limit reset) ends
 * at once with an InterruptedException, so SIGTERM never waits out a 15-minute rate-limit reset.
 */
public final class StopSignal implements Sleeper {
  private final CountDownLatch stopped = new CountDownLatch(1);

  @Override
  public void sleep(Duration d) throws InterruptedException {
    if (stopped.getCount() == 0 || (d.toNanos() > 0 && stopped.await(d.toNanos(), TimeUnit.NANOSECONDS))) {
      throw new InterruptedException("stopping");
    }
  }

  public void stop() {
    stopped.countDown();
  }

  /** Blocks until {@link #stop()}. */
  public void await() throws InterruptedException {
    stopped.await();
  }

  public boolean isStopped() {
    return stopped.getCount() == 0;
  }
}
