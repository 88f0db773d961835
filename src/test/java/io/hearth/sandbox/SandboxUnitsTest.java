package io.hearth.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import io.hearth.sandbox.SandboxSchema.Field;
import io.hearth.sandbox.SandboxSchema.FieldType;

/** The sandbox's small units without a server: {@link FieldValues}, {@link ApiUsage}, {@link OrgRules}. */
class SandboxUnitsTest {

    static final JsonNodeFactory F = JsonNodeFactory.instance;

    static Field field(FieldType type, int length, int precision, int scale, Set<String> picklist) {
        return new Field("F__c", type, length, precision, scale, false, false, false, false, true, null, null,
                picklist, picklist != null, null);
    }

    static JsonNode coerce(Field field, JsonNode value) {
        return FieldValues.coerce(null, field, value, id -> true);
    }

    static String code(Runnable r) {
        try {
            r.run();
        } catch (RecordException e) {
            return e.error.code();
        }
        throw new AssertionError("no RecordException");
    }

    @Test
    void numbersAreRoundedToTheScaleAndHeldToThePrecision() {
        Field money = field(FieldType.NUMBER, 0, 5, 2, null);
        assertThat(coerce(money, F.textNode("12.345")).doubleValue()).isEqualTo(12.35);
        assertThat(coerce(money, F.numberNode(999.994)).doubleValue()).isEqualTo(999.99);
        assertThat(code(() -> coerce(money, F.numberNode(1000)))).isEqualTo("NUMBER_OUTSIDE_VALID_RANGE");
        assertThat(code(() -> coerce(money, F.textNode("ten")))).isEqualTo("JSON_PARSER_ERROR");
        assertThat(coerce(money, F.textNode(""))).as("blank clears").isNull();
    }

    @Test
    void checkboxesDatesAndDateTimesAsSalesforceKeepsThem() {
        Field box = field(FieldType.CHECKBOX, 0, 0, 0, null);
        assertThat(coerce(box, null).booleanValue()).isFalse();
        assertThat(coerce(box, F.textNode("TRUE")).booleanValue()).isTrue();
        assertThat(code(() -> coerce(box, F.textNode("yes")))).isEqualTo("JSON_PARSER_ERROR");

        assertThat(coerce(field(FieldType.DATE, 0, 0, 0, null), F.textNode("2026-11-20T23:30:00Z")).asText())
                .isEqualTo("2026-11-20");
        Field at = field(FieldType.DATETIME, 0, 0, 0, null);
        assertThat(coerce(at, F.textNode("2026-11-20T10:00:00+01:00")).asText()).isEqualTo("2026-11-20T09:00:00.000+0000");
        assertThat(code(() -> coerce(at, F.textNode("2026-11-20T10:00:00.1234Z")))).as("more than milliseconds")
                .isEqualTo("JSON_PARSER_ERROR");
        assertThat(FieldValues.parseDateTime("2026-11-20")).isEqualTo(Instant.parse("2026-11-20T00:00:00Z"));
    }

    @Test
    void textLengthsEmailsAndRestrictedPicklists() {
        assertThat(code(() -> coerce(field(FieldType.TEXT, 3, 0, 0, null), F.textNode("abcd")))).isEqualTo("STRING_TOO_LONG");
        assertThat(code(() -> coerce(field(FieldType.EMAIL, 80, 0, 0, null), F.textNode("jane@")))).isEqualTo("INVALID_EMAIL_ADDRESS");
        Field tier = field(FieldType.PICKLIST, 40, 0, 0, Set.of("gold"));
        assertThat(coerce(tier, F.textNode("gold")).asText()).isEqualTo("gold");
        assertThat(code(() -> coerce(tier, F.textNode("tin")))).isEqualTo("INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST");
        assertThat(FieldValues.autoNumber("SR-{0000}", 42)).isEqualTo("SR-0042");
    }

    @Test
    void theDailyBudgetIsCountedPerUtcDayAndRefusedWhenSpent() {
        SandboxFixture.TestClock clock = new SandboxFixture.TestClock();
        ApiUsage usage = new ApiUsage(2, clock);
        assertThat(usage.count()).isTrue();
        assertThat(usage.count()).isTrue();
        assertThat(usage.count()).as("spent").isFalse();
        assertThat(usage.limits().get("DailyApiRequests").get("Remaining").asLong()).isZero();

        clock.now = clock.now.plus(Duration.ofDays(1));
        assertThat(usage.used()).as("a new day").isZero();
        usage.set(1);
        assertThat(usage.limits().get("DailyApiRequests").get("Remaining").asLong()).isEqualTo(1);
    }

    @Test
    void lateCommitsAndLostInsertRacesAreUsedUpOneWriteAtATime() {
        OrgRules rules = new OrgRules(null);
        Instant now = Instant.parse("2026-11-20T10:00:00Z");
        rules.update(F.objectNode().put("duplicateValueFailures", 1)
                .set("commitLate", F.objectNode().put("writes", 1).put("seconds", 30)));

        assertThat(rules.stamp(now)).isEqualTo(now.minusSeconds(30));
        assertThat(rules.stamp(now)).isEqualTo(now);
        assertThat(rules.takeDuplicateValueFailure()).isTrue();
        assertThat(rules.takeDuplicateValueFailure()).isFalse();
        ObjectNode state = F.objectNode();
        rules.describe(state);
        assertThat(state.get("caseAssignmentRule").asBoolean()).isTrue();
        assertThat(state.get("lateCommits").asInt()).isZero();
    }

    @Test
    void theAssignmentRuleGivesCasesToTheQueueUnlessTheCallSaysNo() {
        OrgRules rules = new OrgRules(null);
        SandboxSchema.SObjectType caseType = new SandboxSchema.SObjectType("Case", "500", false, null);
        ObjectNode record = F.objectNode();
        rules.apply(caseType, record, null);
        assertThat(record.get("OwnerId").asText()).isEqualTo(OrgRules.CASE_QUEUE);

        rules.callHeaders("FALSE", null);
        ObjectNode unassigned = F.objectNode();
        rules.apply(caseType, unassigned, null);
        assertThat(unassigned.has("OwnerId")).isFalse();
        rules.callHeaders(null, null);
        rules.update(F.objectNode().put("caseAssignmentRule", false));
        ObjectNode off = F.objectNode();
        rules.apply(caseType, off, null);
        assertThat(off.has("OwnerId")).as("rule switched off").isFalse();
    }
}
