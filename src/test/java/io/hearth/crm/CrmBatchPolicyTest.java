package io.hearth.crm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

/** Where the CRM writer's streaming batches end (linger 200 ms, max-latency 1 s, max-hold 10 s, 200 records a call). */
class CrmBatchPolicyTest {

    final AtomicLong upstream = new AtomicLong();
    final AtomicLong own = new AtomicLong();
    final CrmBatchPolicy policy = new CrmBatchPolicy(200, 1000, 10_000, 200, upstream::get, own::get);

    @Test
    void aLoneCommandWaitsOnlyTheLingerForCompany() {
        assertThat(policy.waitForNext(2, 0, 0)).isEqualTo(200);
        assertThat(policy.waitForNext(2, 150, 150)).isEqualTo(50);
        assertThat(policy.waitForNext(2, 200, 200)).as("drained: the batch ends").isLessThanOrEqualTo(0);
    }

    @Test
    void notDrainedWhileCrmOutboundHoldsMoreThanTheBatch() {
        policy.batchStarted();
        own.set(40);   // 30 in this batch, 10 more committed upstream and on their way to the consumer
        assertThat(policy.waitForNext(30, 250, 200)).isEqualTo(200);
        assertThat(policy.waitForNext(30, 900, 200)).as("not past the latency bound").isEqualTo(100);
        own.set(30);
        assertThat(policy.waitForNext(30, 250, 200)).isLessThanOrEqualTo(0);
    }

    @Test
    void aBurstsLastCommandsOnTheirWayToTheConsumerJoinItsBatch() {
        policy.batchStarted();
        upstream.set(500);
        assertThat(policy.endNow(1000, 1500)).isFalse();
        upstream.set(0);   // the stages drained, their last commit is in crm.outbound but not yet received
        own.set(4100);
        assertThat(policy.endNow(4000, 5000)).isFalse();
        assertThat(policy.waitForNext(4000, 5000, 300)).isEqualTo(200);
        own.set(4100);
        assertThat(policy.waitForNext(4100, 5200, 200)).as("all received: drained").isLessThanOrEqualTo(0);
    }

    @Test
    void aTrickleEndsAtTheLatencyBoundEvenWhileCommandsKeepComing() {
        policy.batchStarted();
        assertThat(policy.endNow(50, 999)).isFalse();
        assertThat(policy.endNow(50, 1000)).isTrue();
        assertThat(policy.waitForNext(50, 950, 10)).as("never past the bound").isEqualTo(50);
        upstream.set(3);   // a steady stream: a few mentions in the stages at a time, however full the batch: latency first
        assertThat(policy.endNow(2000, 1000)).isTrue();
        assertThat(policy.waitForNext(2000, 1000, 300)).isLessThanOrEqualTo(0);
    }

    @Test
    void aBurstStillInTheStagesKeepsTheBatchOpenPastTheBoundAndAcrossGaps() {
        policy.batchStarted();
        upstream.set(980);
        assertThat(policy.waitForNext(60, 300, 250)).as("the burst's first commands: a gap longer than the linger")
                .isEqualTo(200);
        assertThat(policy.endNow(600, 1500)).isFalse();
        upstream.set(12);   // the burst's tail: less than a call's worth left in the stages, still on its way
        assertThat(policy.endNow(3000, 5000)).isFalse();
        assertThat(policy.waitForNext(3000, 5000, 350)).isEqualTo(200);
        assertThat(policy.waitForNext(3000, 9_900, 350)).as("sliced to max-hold").isEqualTo(100);
        upstream.set(0);
        assertThat(policy.endNow(3000, 5000)).as("the stages drained: the bound applies again").isTrue();
        assertThat(policy.waitForNext(3000, 5000, 200)).as("drained").isLessThanOrEqualTo(0);
        policy.batchStarted();
        upstream.set(12);
        assertThat(policy.endNow(3000, 1000)).as("a new batch sees no burst in a few messages").isTrue();
    }

    @Test
    void aBacklogInCrmOutboundIsTakenInOneBatchPastTheLatencyBound() {
        policy.batchStarted();
        own.set(4947);   // queued while the writer was stopped: the writer has taken 900 of them so far
        assertThat(policy.endNow(900, 1200)).isFalse();
        own.set(4947);
        assertThat(policy.endNow(4900, 6000)).as("the backlog's last 47 are still the batch's").isFalse();
        assertThat(policy.endNow(4947, 6100)).as("all taken").isTrue();
    }

    @Test
    void maxHoldEndsEveryBatch() {
        upstream.set(10_000);
        assertThat(policy.endNow(5000, 10_000)).isTrue();
        assertThat(policy.waitForNext(5000, 10_000, 0)).isLessThanOrEqualTo(0);
    }

    @Test
    void maxHoldShorterThanMaxLatencyIsRefusedNamingBothSettings() {
        assertThatThrownBy(() -> new CrmBatchPolicy(200, 5000, 1000, 200, () -> 0, () -> 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("hearth.crm.writer.max-hold").hasMessageContaining("hearth.crm.writer.max-latency");
    }

    @Test
    void aBatchIsNeverHeldLongEnoughToLookLikeAStallToTheQueueWatchdog() {
        assertThat(CrmBatchPolicy.effectiveMaxHold(60_000, 1000, 300_000)).isEqualTo(60_000);
        assertThat(CrmBatchPolicy.effectiveMaxHold(60_000, 1000, 20_000)).isEqualTo(10_000);
        assertThat(CrmBatchPolicy.effectiveMaxHold(60_000, 1000, 1_000)).as("never below max-latency").isEqualTo(1000);
        assertThat(CrmBatchPolicy.effectiveMaxHold(60_000, 1000, 0)).as("watchdog off").isEqualTo(60_000);
    }
}
