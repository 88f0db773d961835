package io.hearth.crm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

/** Where the CRM writer's streaming batches end (linger 200 ms, max-latency 1 s, max-hold 10 s, 200 records a call). */
class CrmBatchPolicyTest {

    final AtomicLong upstream = new AtomicLong();
    final CrmBatchPolicy policy = new CrmBatchPolicy(200, 1000, 10_000, 200, upstream::get);

    @Test
    void aLoneCommandWaitsOnlyTheLingerForCompany() {
        assertThat(policy.waitForNext(2, 0, 0)).isEqualTo(200);
        assertThat(policy.waitForNext(2, 150, 150)).isEqualTo(50);
        assertThat(policy.waitForNext(2, 200, 200)).as("drained: the batch ends").isLessThanOrEqualTo(0);
    }

    @Test
    void aTrickleEndsAtTheLatencyBoundEvenWhileCommandsKeepComing() {
        assertThat(policy.endNow(50, 999)).isFalse();
        assertThat(policy.endNow(50, 1000)).isTrue();
        assertThat(policy.waitForNext(50, 950, 10)).as("never past the bound").isEqualTo(50);
        upstream.set(3);   // something in the stages, but the batch does not yet fill one call: latency first
        assertThat(policy.endNow(199, 1000)).isTrue();
        assertThat(policy.waitForNext(199, 1000, 300)).isLessThanOrEqualTo(0);
    }

    @Test
    void aBurstStillInTheStagesKeepsTheBatchOpenPastTheBoundAndAcrossGaps() {
        upstream.set(400);
        assertThat(policy.endNow(600, 1500)).isFalse();
        assertThat(policy.waitForNext(600, 1500, 350)).as("a gap longer than the linger while the stages produce")
                .isEqualTo(200);
        assertThat(policy.waitForNext(600, 9_900, 350)).as("sliced to max-hold").isEqualTo(100);
        upstream.set(0);
        assertThat(policy.endNow(600, 1500)).as("the stages drained: the bound applies again").isTrue();
        assertThat(policy.waitForNext(600, 500, 200)).as("drained").isLessThanOrEqualTo(0);
    }

    @Test
    void maxHoldEndsEveryBatch() {
        upstream.set(10_000);
        assertThat(policy.endNow(5000, 10_000)).isTrue();
        assertThat(policy.waitForNext(5000, 10_000, 0)).isLessThanOrEqualTo(0);
    }

    @Test
    void maxHoldShorterThanMaxLatencyIsRefusedNamingBothSettings() {
        assertThatThrownBy(() -> new CrmBatchPolicy(200, 5000, 1000, 200, () -> 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("hearth.crm.writer.max-hold").hasMessageContaining("hearth.crm.writer.max-latency");
    }
}
