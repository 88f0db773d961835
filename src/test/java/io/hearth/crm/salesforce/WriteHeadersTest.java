package io.hearth.crm.salesforce;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.hearth.crm.CrmCommand;

/** Issue 16 items 5, 6, 9 (what the hub sends) and 7 (what the writer retries). */
class WriteHeadersTest {

    @Test
    void casesAreNotReassignedAndContactsSaveDespiteDuplicateRules() {
        WriteHeaders h = WriteHeaders.DEFAULTS;
        assertThat(h.headers("Case", false)).containsEntry("Sforce-Auto-Assign", "FALSE").doesNotContainKey("Sforce-Duplicate-Rule-Header");
        assertThat(h.headers("Case", true)).containsEntry("Sforce-Auto-Assign", "TRUE");
        assertThat(h.headers("Contact", false)).containsEntry("Sforce-Duplicate-Rule-Header", "allowSave=true")
                .doesNotContainKey("Sforce-Auto-Assign");
        assertThat(h.headers("Social_Mention__c", false)).isEmpty();
        assertThat(h.assignNewRecords("Case")).isTrue();
        assertThat(h.assignNewRecords("Contact")).isFalse();
    }

    @Test
    void datetimesAreCutToMilliseconds() {
        assertThat(WriteHeaders.salesforceValue("2026-11-20T10:00:00.123456789Z")).isEqualTo("2026-11-20T10:00:00.123Z");
        assertThat(WriteHeaders.salesforceValue("2026-11-20T10:00:00.1234+01:00")).isEqualTo("2026-11-20T10:00:00.123+01:00");
        assertThat(WriteHeaders.salesforceValue("2026-11-20T10:00:00.123Z")).isEqualTo("2026-11-20T10:00:00.123Z");
        assertThat(WriteHeaders.salesforceValue("not 2026-11-20T10:00:00.123456Z")).isEqualTo("not 2026-11-20T10:00:00.123456Z");
        assertThat(WriteHeaders.salesforceValue(5)).isEqualTo(5);
        Map<String, Object> fields = new HashMap<>();
        fields.put("Posted_At__c", java.time.Instant.parse("2026-11-20T10:00:00.000001Z").toString());
        fields.put("Text__c", null);
        assertThat(WriteHeaders.salesforceValues(fields)).containsEntry("Posted_At__c", "2026-11-20T10:00:00.000Z").containsKey("Text__c");
    }

    @Test
    void duplicateValueOfAnUpsertIsRetriedLikeALockedRow() {
        assertThat(io.hearth.crm.CrmWriterAccess.retryable(CrmCommand.Op.upsert, "DUPLICATE_VALUE")).isTrue();
        assertThat(io.hearth.crm.CrmWriterAccess.retryable(CrmCommand.Op.update, "DUPLICATE_VALUE")).isFalse();
        assertThat(io.hearth.crm.CrmWriterAccess.retryable(CrmCommand.Op.update, "UNABLE_TO_LOCK_ROW")).isTrue();
        assertThat(io.hearth.crm.CrmWriterAccess.retryable(CrmCommand.Op.upsert, "STRING_TOO_LONG")).isFalse();
    }
}
