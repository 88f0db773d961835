package io.hearth.sandbox;

import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The org's daily API budget: calls counted per UTC day (the {@code Sforce-Limit-Info} header and {@code /limits}
 * show it), refused once spent.
 */
final class ApiUsage {

    private final long dailyBudget;
    private final Clock clock;
    private final Object lock = new Object();
    private long used;
    private LocalDate day;

    ApiUsage(long dailyBudget, Clock clock) {
        this.dailyBudget = dailyBudget;
        this.clock = clock;
        this.day = LocalDate.now(clock.withZone(ZoneOffset.UTC));
    }

    long budget() {
        return dailyBudget;
    }

    /** The calls counted today. */
    long used() {
        synchronized (lock) {
            rollDay();
            return used;
        }
    }

    /** Sets today's count (admin endpoint: to test a nearly spent budget). */
    void set(long calls) {
        synchronized (lock) {
            used = calls;
        }
    }

    /** Counts the call, or refuses it when the day's budget is spent. */
    boolean count() {
        synchronized (lock) {
            rollDay();
            if (used >= dailyBudget) {
                return false;
            }
            used++;
            return true;
        }
    }

    private void rollDay() {
        LocalDate today = LocalDate.now(clock.withZone(ZoneOffset.UTC));
        if (!today.equals(day)) {
            day = today;
            used = 0;
        }
    }

    /** {@code GET /limits}: the daily API requests as counted, the other limits fixed at a Developer Edition's. */
    ObjectNode limits() {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        long spent = used();
        ObjectNode daily = root.putObject("DailyApiRequests");
        daily.put("Max", dailyBudget);
        daily.put("Remaining", Math.max(0, dailyBudget - spent));
        String[][] fixed = {{"ConcurrentAsyncGetReportInstances", "200"}, {"ConcurrentSyncReportRuns", "20"},
                {"DailyAsyncApexExecutions", "250000"}, {"DailyBulkApiRequests", "5000"}, {"DailyStreamingApiEvents", "10000"},
                {"DailyWorkflowEmails", "390"}, {"DataStorageMB", "5"}, {"FileStorageMB", "20"}, {"HourlyAsyncReportRuns", "1200"},
                {"HourlyDashboardRefreshes", "200"}, {"HourlySyncReportRuns", "500"}, {"MassEmail", "10"}, {"SingleEmail", "15"},
                {"StreamingApiConcurrentClients", "20"}};
        for (String[] f : fixed) {
            ObjectNode n = root.putObject(f[0]);
            n.put("Max", Long.parseLong(f[1]));
            n.put("Remaining", Long.parseLong(f[1]));
        }
        return root;
    }
}
