package dev.pulse.testsupport.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.utils.Exit;
import org.junit.jupiter.api.Test;

/**
 * A broker that loses its log directory while the JVM exits calls Kafka's {@code Exit.halt(1)}. Each case runs a
 * child JVM whose shutdown hook makes that call, as the broker's log-directory failure handler does.
 */
class LocalKafkaExitTest {

  /** The child JVM: guarded or not, it returns from main and a shutdown hook asks Kafka to halt with status 1. */
  public static final class HaltDuringShutdown {
    public static void main(String[] args) {
      if (args.length > 0 && args[0].equals("guarded")) LocalKafka.keepExitClean();
      Runtime.getRuntime().addShutdownHook(new Thread(() -> Exit.halt(1, "all log dirs have failed (simulated)")));
    }
  }

  @Test
  void aHaltWhileTheJvmShutsDownDoesNotChangeItsExitStatus() throws Exception {
    assertThat(exitStatusOfChild("guarded")).isZero();
  }

  @Test
  void withoutTheGuardTheSameHaltEndsTheJvmWithStatusOne() throws Exception {
    assertThat(exitStatusOfChild("plain")).isEqualTo(1);
  }

  @Test
  void theJvmRunningTestsIsNotShuttingDown() {
    assertThat(LocalKafka.shuttingDown()).isFalse();
  }

  private static int exitStatusOfChild(String mode) throws Exception {
    String java = ProcessHandle.current().info().command().orElse("java");
    Process child = new ProcessBuilder(List.of(java, "-cp", System.getProperty("java.class.path"),
        HaltDuringShutdown.class.getName(), mode)).redirectErrorStream(true)
        .redirectOutput(new File(System.getProperty("java.io.tmpdir"), "pulse-halt-" + mode + ".log")).start();
    assertThat(child.waitFor(60, TimeUnit.SECONDS)).as("child JVM ended").isTrue();
    return child.exitValue();
  }
}
