package io.hearth.queue;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

/** The benchmark's poll of the enrich stage's counters ({@link PipelineThroughputBench.CounterSum}). */
class CounterSumTest {

    @Test
    void sumsEveryCounterOfTheNameAndFindsACounterRegisteredLaterOnItsNextSearch() throws Exception {
        MeterRegistry meters = new SimpleMeterRegistry();
        meters.counter("hearth.enrich.mentions", "outcome", "unknown").increment(3);
        meters.counter("other").increment(100);
        var sum = new PipelineThroughputBench.CounterSum(meters, "hearth.enrich.mentions");
        assertThat(sum.getAsLong()).isEqualTo(3);

        meters.counter("hearth.enrich.mentions", "outcome", "unknown").increment(2);
        assertThat(sum.getAsLong()).as("the counters found are read on every poll").isEqualTo(5);

        meters.counter("hearth.enrich.mentions", "outcome", "enriched").increment(4);
        assertThat(sum.fresh()).as("a fresh read searches the registry again").isEqualTo(9);

        meters.counter("hearth.enrich.mentions", "outcome", "suppressed").increment(1);
        Thread.sleep(300);
        assertThat(sum.getAsLong()).as("a poll after 250 ms searches again: a later counter is found, not missed").isEqualTo(10);
    }
}
