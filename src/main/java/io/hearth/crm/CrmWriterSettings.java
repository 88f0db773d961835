package io.hearth.crm;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/** {@code hearth.crm.writer.*}: defaults in config/application.yml, meanings in docs/crm-commands.md. */
@ConfigurationProperties(prefix = "hearth.crm.writer")
public class CrmWriterSettings {

    /** Consume crm.outbound at all (route crm-writer). Off until the pipeline emits CRM commands. */
    /** Route crm-writer starts with the hub (tests that only look at crm.outbound turn it off). */
    private boolean enabled = true;
    /** Messages per JMS transaction at most; a batch's records are written before it commits. */
    private int batchSize = 10000;
    /** The linger: ms without a new command after which crm.outbound counts as drained and the batch ends. */
    private long batchWindow = 200;
    /** A batch ends once its oldest command has waited this long, unless a burst is still on its way (CrmBatchPolicy). */
    private Duration maxLatency = Duration.ofSeconds(1);
    /** A batch ends once its oldest command has waited this long, whatever is arriving. */
    private Duration maxHold = Duration.ofSeconds(60);
    /** Records per sObject Collections call (Salesforce allows at most 200). */
    private int recordsPerCall = 200;
    /** Retries of a record that failed with a retryable error (UNABLE_TO_LOCK_ROW) before it is dead-lettered. */
    private int recordRetries = 5;
    /** Retries of a whole call that failed with 5xx, a timeout or a connection error, before the circuit opens. */
    private int callRetries = 4;
    private Duration retryInitialDelay = Duration.ofMillis(200);
    private Duration retryMaxDelay = Duration.ofSeconds(5);
    /** Consecutive failed calls (across batches) that open the circuit. */
    private int circuitFailureThreshold = 5;
    /** How long an open circuit waits before it probes the org again. */
    private Duration circuitOpenFor = Duration.ofSeconds(30);
    /** Share of the daily API limit (from Sforce-Limit-Info) at which writing pauses, e.g. 0.9. */
    private double budgetReserve = 0.9;
    /** While paused for the API limit or the budget reserve: how often /limits is read to see whether budget returned. */
    private Duration resumeCheckInterval = Duration.ofSeconds(60);
    /** How long a "written" mark left behind (a crash right after a commit) is kept before it is purged (CrmWrittenMarks). */
    private Duration writtenMarksRetention = Duration.ofDays(7);

    public Duration getWrittenMarksRetention() {
        return writtenMarksRetention;
    }

    public void setWrittenMarksRetention(Duration writtenMarksRetention) {
        if (writtenMarksRetention.isNegative() || writtenMarksRetention.isZero()) {
            throw new IllegalArgumentException("hearth.crm.writer.written-marks-retention must be positive, was " + writtenMarksRetention);
        }
        this.writtenMarksRetention = writtenMarksRetention;
    }

    public boolean isEnabled() {
        return enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public int getBatchSize() {
        return batchSize;
    }

    public void setBatchSize(int batchSize) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("hearth.crm.writer.batch-size must be at least 1, was " + batchSize);
        }
        this.batchSize = batchSize;
    }

    public long getBatchWindow() {
        return batchWindow;
    }

    public void setBatchWindow(long batchWindow) {
        if (batchWindow < 0) {
            throw new IllegalArgumentException("hearth.crm.writer.batch-window must not be negative (ms), was " + batchWindow);
        }
        this.batchWindow = batchWindow;
    }

    public Duration getMaxLatency() {
        return maxLatency;
    }

    public void setMaxLatency(Duration maxLatency) {
        if (maxLatency.isNegative() || maxLatency.isZero()) {
            throw new IllegalArgumentException("hearth.crm.writer.max-latency must be positive, was " + maxLatency);
        }
        this.maxLatency = maxLatency;
    }

    public Duration getMaxHold() {
        return maxHold;
    }

    public void setMaxHold(Duration maxHold) {
        if (maxHold.isNegative() || maxHold.isZero()) {
            throw new IllegalArgumentException("hearth.crm.writer.max-hold must be positive, was " + maxHold);
        }
        this.maxHold = maxHold;
    }

    public int getRecordsPerCall() {
        return recordsPerCall;
    }

    public void setRecordsPerCall(int recordsPerCall) {
        if (recordsPerCall < 1 || recordsPerCall > 200) {
            throw new IllegalArgumentException("hearth.crm.writer.records-per-call must be between 1 and 200, was " + recordsPerCall);
        }
        this.recordsPerCall = recordsPerCall;
    }

    public int getRecordRetries() {
        return recordRetries;
    }

    public void setRecordRetries(int recordRetries) {
        this.recordRetries = recordRetries;
    }

    public int getCallRetries() {
        return callRetries;
    }

    public void setCallRetries(int callRetries) {
        this.callRetries = callRetries;
    }

    public Duration getRetryInitialDelay() {
        return retryInitialDelay;
    }

    public void setRetryInitialDelay(Duration retryInitialDelay) {
        this.retryInitialDelay = retryInitialDelay;
    }

    public Duration getRetryMaxDelay() {
        return retryMaxDelay;
    }

    public void setRetryMaxDelay(Duration retryMaxDelay) {
        this.retryMaxDelay = retryMaxDelay;
    }

    public int getCircuitFailureThreshold() {
        return circuitFailureThreshold;
    }

    public void setCircuitFailureThreshold(int circuitFailureThreshold) {
        this.circuitFailureThreshold = circuitFailureThreshold;
    }

    public Duration getCircuitOpenFor() {
        return circuitOpenFor;
    }

    public void setCircuitOpenFor(Duration circuitOpenFor) {
        this.circuitOpenFor = circuitOpenFor;
    }

    public double getBudgetReserve() {
        return budgetReserve;
    }

    public void setBudgetReserve(double budgetReserve) {
        if (budgetReserve <= 0 || budgetReserve > 1) {
            throw new IllegalArgumentException("hearth.crm.writer.budget-reserve must be in (0, 1], was " + budgetReserve);
        }
        this.budgetReserve = budgetReserve;
    }

    public Duration getResumeCheckInterval() {
        return resumeCheckInterval;
    }

    public void setResumeCheckInterval(Duration resumeCheckInterval) {
        this.resumeCheckInterval = resumeCheckInterval;
    }
}
