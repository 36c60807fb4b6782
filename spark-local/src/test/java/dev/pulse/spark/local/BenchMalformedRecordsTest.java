package dev.pulse.spark.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pulse.event.EventJson;
import dev.pulse.event.Parsed;
import org.junit.jupiter.api.Test;

/** The malformed records `./pulse bench pipeline --malformed N` mixes in are each refused by the job's parser. */
class BenchMalformedRecordsTest {
  @Test
  void everyKindIsRefusedWithItsReason() {
    String[] reasons = {"malformed JSON", "id", "createdAt", "UTF-8", "empty record"};
    for (int n = 0; n < 10; n++) {
      Parsed<?> parsed = EventJson.parsePost(BenchPipelineCommand.malformedRecord(n));
      assertThat(parsed).as("record %d", n).isInstanceOf(Parsed.Invalid.class);
      assertThat(((Parsed.Invalid<?>) parsed).reason()).as("record %d", n).contains(reasons[n % 5]);
    }
  }
}
