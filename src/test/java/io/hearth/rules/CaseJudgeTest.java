package io.hearth.rules;

import static io.hearth.rules.JudgeFixture.C1;
import static io.hearth.rules.JudgeFixture.NOW;
import static io.hearth.rules.JudgeFixture.judged;
import static io.hearth.rules.JudgeFixture.post;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import io.hearth.crm.CrmCommand;
import io.hearth.identity.AuthorKeys;
import io.hearth.mention.Mention;
import io.hearth.mention.MentionKind;

/** {@link CaseJudge} on the real schema, without the hub; priority, author key and description as pure functions. */
class CaseJudgeTest {

    static final Rules RULES = JudgeFixture.rules("""
            cases:
              intents: [complaint]
              who: anyone
              min-influence: 50
            """);

    final JudgeFixture f = new JudgeFixture();
    final CaseJudge judge = new CaseJudge(f.store, f.mapping, f.catalogue);

    List<CrmCommand> judge(Mention m, String contact, boolean firstSeen) {
        if (firstSeen) {
            f.logged(m, contact);
        }
        List<CrmCommand> out = new ArrayList<>();
        judge.judge(RULES, judged(m, contact, firstSeen), out);
        return out;
    }

    static Mention.Builder complaint(String id, String handle, Instant at) {
        return post(id, handle, "my train is late again", at).intent("complaint").sentiment(-0.7).influence(20);
    }

    @Test
    void aComplaintOfAKnownContactOpensOneCasePerConversationAndItsLaterPostsJoinIt() {
        List<CrmCommand> opened = judge(complaint("1", "jane", NOW.minusSeconds(60)).conversationId("t1").build(), C1,
                true);

        assertThat(opened).singleElement().satisfies(c -> {
            assertThat(c.object()).isEqualTo("Case");
            assertThat(c.externalId()).isEqualTo("case:x:t1");
            assertThat(c.fields()).containsEntry("ContactId", C1).containsEntry("Priority", "High")
                    .containsEntry("Subject", "Social complaint on x: my train is late again")
                    .containsEntry("Social_Rule__c", "cases:complaint")
                    .containsEntry("Social_Reason__c", "complaint on x by a known contact, influence 20");
        });
        List<CrmCommand> joined = judge(post("2", "jane", "still waiting", NOW).kind(MentionKind.REPLY)
                .conversationId("t1").intent("other").build(), C1, true);
        assertThat(joined).singleElement().extracting(CrmCommand::externalId).isEqualTo("case:x:t1");
        assertThat(joined.get(0).fields().get("Description").toString()).contains("my train is late again")
                .contains("still waiting");
        assertThat(f.store.mentionsOfCase("case:x:t1")).containsExactly("x:1", "x:2");
    }

    @Test
    void anotherAuthorInTheConversationDoesNotJoinAndAReplayNeverOpensACase() {
        judge(complaint("1", "jane", NOW.minusSeconds(60)).conversationId("t1").build(), C1, true);
        assertThat(judge(complaint("2", "joe", NOW).conversationId("t1").build(), "003000000000002AAA", true)).isEmpty();
        assertThat(judge(complaint("3", "ann", NOW).conversationId("t3").build(), "003000000000003AAA", false))
                .as("a replay of an unseen complaint").isEmpty();
    }

    @Test
    void anUnknownAuthorNeedsTheInfluenceAndItsCaseCarriesThePost() {
        assertThat(judge(complaint("1", "nobody", NOW).build(), null, true)).isEmpty();

        List<CrmCommand> out = judge(complaint("2", "loud", NOW).influence(80).build(), null, true);
        assertThat(out).extracting(CrmCommand::object).containsExactly("Social_Mention__c", "Case");
        assertThat(out.get(0).fields()).containsEntry("Text__c", "my train is late again").containsEntry("Sentiment__c", -0.7);
        assertThat(out.get(1).fields()).doesNotContainKey("ContactId").containsEntry("Social_Reason__c",
                "complaint on x by an unknown author, influence 80 ≥ 50");
    }

    @Test
    void otherIntentsOpenNoCase() {
        assertThat(judge(post("1", "jane", "love it", NOW).intent("praise").build(), C1, true)).isEmpty();
    }

    @Test
    void theConversationIsTheChannelsElseThatOfThePostRepliedToElseThePostItself() {
        judge(complaint("1", "jane", NOW.minusSeconds(60)).conversationId("t1").build(), C1, true);
        assertThat(judge.conversationKey(post("2", "joe", "re", NOW).inReplyTo("x:1").build())).isEqualTo("x:t1");
        assertThat(judge.conversationKey(post("3", "joe", "re", NOW).inReplyTo("x:unseen").build())).isEqualTo("x:unseen");
        assertThat(judge.conversationKey(post("4", "joe", "hi", NOW).build())).isEqualTo("x:4");
        assertThat(judge.conversationKey(post("5", "joe", "hi", NOW).conversationId("x:c9").build())).isEqualTo("x:c9");
    }

    @Test
    void priorityByInfluenceAndSentiment() {
        Rules.Priority p = new Rules.Priority(null, null, null);
        assertThat(CaseJudge.priority(p, 60, 0.0)).isEqualTo("High");
        assertThat(CaseJudge.priority(p, 5, -0.6)).isEqualTo("High");
        assertThat(CaseJudge.priority(p, 5, null)).isEqualTo("Low");
        assertThat(CaseJudge.priority(p, 5, -0.3)).isEqualTo("Medium");
        assertThat(CaseJudge.priority(p, 30, 0.5)).isEqualTo("Medium");
    }

    @Test
    void theCaseAuthorIsTheHandleElseTheAuthorIdElseThePostAlone() {
        Mention m = post("1", "jane", "hi", NOW).build();
        assertThat(CaseJudge.caseAuthorKey(m)).isEqualTo(AuthorKeys.of("x", "jane"));
        assertThat(CaseJudge.caseAuthorKey(m.toBuilder().author(new Mention.Author(null, "42", null, null, null, null))
                .build())).isEqualTo(AuthorKeys.of("x", "id:42"));
        assertThat(CaseJudge.caseAuthorKey(m.toBuilder().author(null).build())).isEqualTo(AuthorKeys.of("x", "post:x:1"));
    }

    @Test
    void theDescriptionShowsTheLastTwentyPostsAndCountsTheRest() {
        List<RulesStore.Logged> posts = IntStream.range(0, 23).mapToObj(i -> new RulesStore.Logged("x:" + i, "x", "k",
                null, true, NOW.plus(Duration.ofMinutes(i)), i == 22 ? 0.5 : null, null, i == 22 ? 7 : null, null,
                i == 22 ? "jane" : null, i == 0 ? null : "post " + i)).toList();

        String d = CaseJudge.description(posts);
        assertThat(d).startsWith("(3 earlier post(s) not shown)\n\n2026-12-05T10:03:00Z · x · other\npost 3")
                .endsWith("2026-12-05T10:22:00Z · x · @jane · other · sentiment 0.50 · influence 7\npost 22")
                .doesNotContain("post 2\n");
        assertThat(CaseJudge.description(posts.subList(0, 1))).contains("(text purged by retention)");
    }
}
