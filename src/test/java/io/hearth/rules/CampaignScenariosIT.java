package io.hearth.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Issue 5's campaigns end to end: native payloads over HTTP → normalise → enrich + rules judge → CRM writer →
 * the sandbox org, asserted with SOQL. Each scenario ends with a replay of everything it sent (HTTP again, and every
 * mention straight onto social.mentions as a crash redelivery would) and asserts that no reward, case or flag changed.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureObservability
@DirtiesContext
@org.springframework.context.annotation.Import(io.hearth.support.TestClock.Config.class)
class CampaignScenariosIT extends CampaignHub {

    /**
     * Where a scenario's posts start: {@code back} before the test's now, or, when its posts (spanning {@code span})
     * would not all fall on now's UTC day, a second after that day's midnight (then some lie a little in the future,
     * which the hub accepts). So daily caps, months and leaderboards see the posts on one day whatever the hour the test
     * runs at (issue 18: the first minutes of a month and UTC midnight).
     */
    static Instant onNowsDay(Instant now, long back, long span) {
        Instant t = now.truncatedTo(ChronoUnit.SECONDS).minusSeconds(back);
        java.time.LocalDate day = now.atZone(ZoneOffset.UTC).toLocalDate();
        if (!t.atZone(ZoneOffset.UTC).toLocalDate().equals(day)
                || !t.plusSeconds(span).atZone(ZoneOffset.UTC).toLocalDate().equals(day)) {
            t = day.atStartOfDay(ZoneOffset.UTC).toInstant().plusSeconds(1);
        }
        return t;
    }


    @TempDir
    static Path dataDir;
    static final String WEBHOOK_SECRET = "campaign-webhook-secret";
    static WebhookReceiver receiver;

    @org.springframework.beans.factory.annotation.Autowired
    org.springframework.jdbc.core.JdbcTemplate jdbc;

    @org.junit.jupiter.api.AfterAll
    static void stopReceiver() {
        if (receiver != null) {
            receiver.close();
        }
    }
    static Path rulesFile;

    static final String FAN1 = contactId(1);
    static final String FAN2 = contactId(2);
    static final String FAN3 = contactId(3);
    static final String FAN4 = contactId(4);
    static final String WANDA = contactId(11);
    static final String CARL = contactId(12);
    static final String MIA = contactId(21);
    static final String LEO = contactId(22);
    static final String NINA = contactId(23);
    static final String HANNA = contactId(31);
    static final String QUENTIN = contactId(32);
    static final String SAM = contactId(41);
    static final String UMA = contactId(42);
    static final String HUGO = contactId(51);
    static final String HANA = contactId(52);
    static final String IVO = contactId(53);
    static final String CORA = contactId(54);
    static final String PIA = contactId(55);
    static final String OLGA = contactId(61);

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) throws Exception {
        rulesFile = dataDir.resolve("rules.yml");
        java.nio.file.Files.copy(Path.of("config/rules.yml"), rulesFile);
        Path seed = seed(dataDir.resolve("seed"), new Object[][] {
                {1, "Fan One", true, "x:film_fan_one"},
                {2, "Fan Two", true, "x:film_fan_two"},
                {3, "Fan Three", true, "x:film_fan_three"},
                {4, "Fan Four", false, "x:film_fan_four"},
                {11, "Wanda Worried", false, "x:worried_wanda"},
                {12, "Carl Calm", true, "x:calm_carl"},
                {21, "Mia Miles", true, "x:mia_miles"},
                {22, "Leo Lounge", true, "x:leo_lounge"},
                {23, "Nina Newlink", true, "loyalty:HL-777001"},
                {31, "Hanna Helpful", true, "x:helpful_hanna"},
                {32, "Quentin Question", true, "x:quentin_q"},
                {41, "Sam Supporter", true, "x:sam_supports"},
                {42, "Uma Amplifies", true, "x:uma_amplifies"},
                {51, "Hugo Hiker", true, "x:hugo_hikes"},
                {52, "Hana Trails", true, "x:hana_trails"},
                {53, "Ivo Ridge", true, "x:ivo_ridge"},
                {54, "Cora Brew", true, "x:cora_brew"},
                {55, "Pia Plain", true, "x:pia_plain"},
                {61, "Olga Order", false, "x:olga_orders"},
        });
        hub(registry, dataDir, rulesFile, seed);
        receiver = new WebhookReceiver(WEBHOOK_SECRET);
        registry.add("hearth.rewards.webhook.url", receiver::url);
        registry.add("hearth.rewards.webhook.secret", () -> WEBHOOK_SECRET);
        registry.add("hearth.rewards.triggers.interval", () -> "200");
        registry.add("hearth.rewards.triggers.initial-delay-ms", () -> "100");
        registry.add("hearth.rewards.triggers.max-delay-ms", () -> "400");
        registry.add("hearth.rewards.triggers.max-redeliveries", () -> "3");
        registry.add("hearth.rules.backfill.interval", () -> "300");
        // two-way service: the brand's care accounts, and the channels' APIs the agents' replies are posted to
        xApi = new io.hearth.support.ScriptedHttpServer(r -> io.hearth.support.ScriptedHttpServer.Response.json(403,
                X_REPLY_NOT_ALLOWED));
        mastodonApi = new io.hearth.support.ScriptedHttpServer(CampaignScenariosIT::mastodon);
        registry.add("hearth.service.brand-accounts.x", () -> "nordkauf_care");
        registry.add("hearth.service.brand-accounts.mastodon", () -> "care@social.nordkauf.example");
        registry.add("hearth.service.replies.enabled", () -> "true");
        registry.add("hearth.service.replies.poll-interval", () -> "1h");
        registry.add("hearth.service.replies.initial-delay", () -> "1h");
        registry.add("hearth.service.replies.x.base-url", xApi::baseUrl);
        registry.add("hearth.service.replies.x.access-token", () -> "x-user-token");
        registry.add("hearth.service.replies.x.user-id", () -> "1490000000000000000");
        registry.add("hearth.service.replies.mastodon.base-url", mastodonApi::baseUrl);
        registry.add("hearth.service.replies.mastodon.access-token", () -> "masto-token");
    }

    static io.hearth.support.ScriptedHttpServer xApi;
    static io.hearth.support.ScriptedHttpServer mastodonApi;
    /** reference-payloads/x-v2/create_tweet_error_403_reply_not_allowed.json */
    static final String X_REPLY_NOT_ALLOWED = "{\"detail\":\"Reply to this conversation is not allowed because you have not"
            + " been mentioned or otherwise engaged by the author of the post you are replying to.\",\"type\":\"about:blank\","
            + "\"title\":\"Forbidden\",\"status\":403}";

    /** Mastodon POST /api/v1/statuses: a Status (shape of reference-payloads/mastodon/statuses_post_reply_in_reply_to_id.json). */
    static io.hearth.support.ScriptedHttpServer.Response mastodon(io.hearth.support.ScriptedHttpServer.Request r) {
        var form = new io.hearth.support.ScriptedHttpServer.Request("POST", "/", r.body(), Map.of(), "").params();
        var status = JSON.createObjectNode().put("id", "117100000000009999").put("created_at", "2026-12-05T10:00:00.000Z")
                .put("in_reply_to_id", form.get("in_reply_to_id")).put("visibility", "public")
                .put("url", "https://social.nordkauf.example/@care/117100000000009999")
                .put("content", "<p>" + form.get("status") + "</p>");
        status.putObject("account").put("id", "1").put("username", "care").put("acct", "care");
        return io.hearth.support.ScriptedHttpServer.Response.json(200, status.toString()).withHeaders(Map.of(
                "x-ratelimit-limit", "300", "x-ratelimit-remaining", "299", "x-ratelimit-reset", "2026-12-05T12:00:00.000Z"));
    }

    static boolean synced;

    @BeforeEach
    void directory() {
        if (!synced) {
            syncDirectory();
            synced = true;
        }
        ingested.clear();
    }

    // --- 1: film studio --------------------------------------------------------------------------------------------

    @Test
    void filmStudioRepostsChallengeBadgesAndMonthlyLeader() throws Exception {
        useRules(rulesFile, "film-studio.yml");
        Instant now = io.hearth.support.TestClock.now().truncatedTo(ChronoUnit.SECONDS);
        YearMonth previous = YearMonth.from(now.atZone(ZoneOffset.UTC)).minusMonths(1);
        Instant last = previous.atDay(10).atStartOfDay().toInstant(ZoneOffset.UTC).plusSeconds(12 * 3600);
        Instant today = onNowsDay(now, 600, 60);

        // Last month: the studio posts, fans repost (one fan has not consented: nothing for them).
        ingest("mention", mention("x", "fs-100", "post", "nordlicht_films", 250_000, last,
                "Our new trailer is out! #Nordlicht", null, null, null));
        ingest("mention", mention("x", "fs-r1", "repost", "film_fan_one", 800, last.plusSeconds(60),
                "RT @nordlicht_films: Our new trailer is out! #Nordlicht", "x:fs-100", null, null));
        ingest("mention", mention("x", "fs-r2", "quote", "film_fan_one", 800, last.plusSeconds(120),
                "Can't wait for this one @nordlicht_films", "x:fs-099", null, null));
        ingest("mention", mention("x", "fs-r3", "repost", "film_fan_two", 300, last.plusSeconds(180),
                "RT @nordlicht_films: Our new trailer is out! #Nordlicht", "x:fs-100", null, null));
        ingest("mention", mention("x", "fs-r4", "repost", "film_fan_four", 300, last.plusSeconds(240),
                "RT @nordlicht_films: Our new trailer is out! #Nordlicht", "x:fs-100", null, null));

        // This month: the challenge. A wrong guess, two right ones (the winners), one right but too late.
        ingest("mention", mention("x", "fs-c1", "post", "film_fan_two", 300, today,
                "#GuessTheScene is it the bridge?", null, null, null));
        ingest("mention", mention("x", "fs-c2", "post", "film_fan_one", 800, today.plusSeconds(10),
                "#GuessTheScene The Lighthouse!", null, null, null));
        ingest("mention", mention("x", "fs-c3", "post", "film_fan_three", 120, today.plusSeconds(20),
                "#GuessTheScene Leuchtturm 🎬", null, null, null));
        ingest("mention", mention("x", "fs-c4", "post", "film_fan_two", 300, today.plusSeconds(30),
                "#GuessTheScene lighthouse", null, null, null));
        // Four reposts in one day: the daily cap (60) pays three.
        StringBuilder four = new StringBuilder();
        for (int i = 1; i <= 4; i++) {
            four.append(mention("x", "fs-d" + i, "repost", "film_fan_two", 300, today.plusSeconds(40 + i),
                    "RT @nordlicht_films: Behind the scenes, part " + i, "x:fs-20" + i, null, null)).append('\n');
        }
        ingest("mention", four.toString());

        assertThat(deadLetterReasons()).isEmpty();
        assertThat(rewardsOf(FAN1)).containsExactlyInAnyOrder(
                "repost:" + FAN1 + ":x:fs-r1=20", "repost:" + FAN1 + ":x:fs-r2=20",
                "leader:fan-of-the-month:" + previous + "=250 Fan of the month " + previous,
                "scene-guess:" + FAN1 + "=100",
                "badge:superfan:" + FAN1 + "=0 Superfan", "badge:scene-detective:" + FAN1 + "=0 Scene Detective");
        assertThat(rewardsOf(FAN2)).containsExactlyInAnyOrder(
                "repost:" + FAN2 + ":x:fs-r3=20", "repost:" + FAN2 + ":x:fs-d1=20", "repost:" + FAN2 + ":x:fs-d2=20",
                "repost:" + FAN2 + ":x:fs-d3=20");
        assertThat(rewardsOf(FAN3)).containsExactlyInAnyOrder("scene-guess:" + FAN3 + "=100",
                "badge:superfan:" + FAN3 + "=0 Superfan", "badge:scene-detective:" + FAN3 + "=0 Scene Detective");
        assertThat(rewardsOf(FAN4)).as("no consent, no reward").isEmpty();
        assertThat(points(FAN1)).isEqualTo(390);
        assertThat(points(FAN2)).isEqualTo(80);
        assertThat(points(FAN3)).isEqualTo(100);
        JsonNode challenge = one("SELECT Rule__c, Mention__r.External_Id__c, Awarded_At__c FROM Social_Reward__c"
                + " WHERE External_Id__c = 'scene-guess:" + FAN1 + "'");
        assertThat(challenge.path("Mention__r").path("External_Id__c").asText()).isEqualTo("x:fs-c2");

        JsonNode board = api("/api/rules/leaderboards/fan-of-the-month?period=" + previous);
        assertThat(board.get("standings").toString()).isEqualTo("[{\"contactId\":\"" + FAN1 + "\",\"points\":40},"
                + "{\"contactId\":\"" + FAN2 + "\",\"points\":20}]");

        assertReplayChangesNothing(List.of(FAN1, FAN2, FAN3, FAN4));
    }

    // --- 2: charity hashtag campaign ----------------------------------------------------------------------------

    @Test
    void charityHashtagWindowReachAndProspects() throws Exception {
        Instant clock = io.hearth.support.TestClock.now();
        LocalDate today = clock.atZone(ZoneOffset.UTC).toLocalDate();
        useRules(rulesFile, "charity-endviolence.yml", y -> y.replace("2026-11-25", today.minusDays(3).toString())
                .replace("2026-12-10", today.plusDays(10).toString()));
        Instant now = clock.truncatedTo(ChronoUnit.SECONDS);
        int contactsBefore = soql("SELECT Id FROM Contact").size();

        ingest("mention", mention("x", "ev-1", "post", "endviolence_org", 90_000, now.minusSeconds(7200),
                "16 days of activism begin today #ENDviolence", null, null, null));
        ingest("mention", engaged(mention("x", "ev-s1", "post", "sam_supports", 1200, now.minusSeconds(3600),
                "Standing together, today and every day. #ENDviolence", null, null, null), 10, 2));
        ingest("mention", mention("x", "ev-s0", "post", "sam_supports", 1200,
                today.minusDays(5).atStartOfDay().toInstant(ZoneOffset.UTC), "#ENDviolence starts soon", null, null, null));
        ingest("mention", mention("x", "ev-u1", "repost", "uma_amplifies", 500, now.minusSeconds(3000),
                "RT @endviolence_org: 16 days of activism begin today #ENDviolence", "x:ev-1", null, null));
        ingest("mention", mention("x", "ev-n1", "post", "new_voice_1", 3000, now.minusSeconds(2400),
                "We need to talk about this. #ENDviolence", null, null, null));
        ingest("mention", mention("x", "ev-n2", "post", "new_voice_2", 8000, now.minusSeconds(2000),
                "Nice weather today", null, null, null));

        assertThat(deadLetterReasons()).isEmpty();
        assertThat(rewardsOf(SAM)).as("inside the window only").containsExactly("endviolence-post:" + SAM + ":x:ev-s1=10");
        assertThat(one("SELECT Reach__c FROM Social_Reward__c WHERE External_Id__c = 'endviolence-post:" + SAM
                + ":x:ev-s1'").get("Reach__c").asLong()).as("followers × (1 + engagement)").isEqualTo(1200 * 13);
        assertThat(rewardsOf(UMA)).as("a repost is a share, not a post").containsExactly("endviolence-share:" + UMA + ":x:ev-u1=5");
        assertThat(points(SAM)).isEqualTo(10);
        assertThat(api("/api/rules/leaderboards/endviolence").get("standings").toString()).isEqualTo(
                "[{\"contactId\":\"" + SAM + "\",\"points\":10},{\"contactId\":\"" + UMA + "\",\"points\":5}]");
        JsonNode prospects = api("/api/rules/prospects?hashtag=ENDviolence&days=30").get("prospects");
        assertThat(prospects).extracting(p -> p.get("handle").asText()).as("not the brand itself")
                .containsExactly("new_voice_1");
        assertThat(prospects.get(0).get("reach").asLong()).isEqualTo(3000);
        assertThat(soql("SELECT Id FROM Contact")).as("no contact without consent").hasSize(contactsBefore);

        assertReplayChangesNothing(List.of(SAM, UMA));
    }

    // --- issue 10: late attribution ----------------------------------------------------------------------------------

    @Test
    void aContactAddedAfterTheirPostsGetsThoseMentionsAndTheirRewardsAtTheNextSyncOnce() throws Exception {
        LocalDate today = io.hearth.support.TestClock.now().atZone(ZoneOffset.UTC).toLocalDate();
        // The charity campaign under keys of its own (the other scenarios' leaderboards and snapshots stay theirs).
        useRules(rulesFile, "charity-endviolence.yml", y -> y.replace("2026-11-25", today.minusDays(10).toString())
                .replace("2026-12-10", today.plusDays(10).toString()).replace("endviolence", "latecomer"));
        Instant noon = today.atStartOfDay().toInstant(ZoneOffset.UTC).plusSeconds(12 * 3600);
        // Five posts by someone the CRM does not know yet: four inside the campaign window, one before it.
        Instant[] at = {noon.minus(3, ChronoUnit.DAYS), noon.minus(3, ChronoUnit.DAYS).plusSeconds(60),
                noon.minus(2, ChronoUnit.DAYS), noon.minus(1, ChronoUnit.DAYS), noon.minus(12, ChronoUnit.DAYS)};
        for (int i = 0; i < at.length; i++) {
            ingest("mention", mention("x", "lt-" + (i + 1), "post", "late_lara", 700, at[i],
                    "Speaking up, day " + (i + 1) + " #ENDviolence", null, null, null));
        }
        assertThat(soql("SELECT Id FROM Social_Mention__c WHERE External_Id__c LIKE 'x:lt-%'"))
                .as("an unknown author's posts write nothing").isEmpty();

        // The CRM learns who she is (a contact with consent and her X identity), after her posts were processed.
        Map<String, Object> contact = new LinkedHashMap<>();
        contact.put("LastName", "Lara Late");
        contact.put("Social_Consent__c", true);
        String lara = create("Contact", contact);
        Map<String, Object> identity = new LinkedHashMap<>();
        identity.put("Contact__c", lara);
        identity.put("Channel__c", "x");
        identity.put("Handle__c", "late_lara");
        identity.put("External_Id__c", "x:late_lara");
        identity.put("Verified__c", true);
        create("Social_Identity__c", identity);

        double mentionsBefore = consumed("social.mentions");
        double callsBefore = crmApiCalls();
        syncDirectory();
        settle(mentionsBefore + 5);
        double calls = crmApiCalls() - callsBefore;
        System.out.printf("Late attribution: 5 stored mentions of a new contact -> %.0f CRM writer API calls%n", calls);

        assertThat(deadLetterReasons()).isEmpty();
        List<JsonNode> records = soql("SELECT External_Id__c, Contact__c, Posted_At__c FROM Social_Mention__c"
                + " WHERE External_Id__c LIKE 'x:lt-%' ORDER BY External_Id__c");
        assertThat(records).extracting(r -> r.get("External_Id__c").asText())
                .containsExactly("x:lt-1", "x:lt-2", "x:lt-3", "x:lt-4", "x:lt-5");
        assertThat(records).allSatisfy(r -> assertThat(r.get("Contact__c").asText()).isEqualTo(lara));
        assertThat(rewardsOf(lara)).as("what the rules grant for posts of those dates (window by the post's date)")
                .containsExactlyInAnyOrder("latecomer-post:" + lara + ":x:lt-1=10", "latecomer-post:" + lara + ":x:lt-2=10",
                        "latecomer-post:" + lara + ":x:lt-3=10", "latecomer-post:" + lara + ":x:lt-4=10");
        assertThat(points(lara)).isEqualTo(40);
        JsonNode aggregates = one("SELECT Social_Mentions_30d__c, Social_Last_Mention_At__c FROM Contact WHERE Id = '" + lara + "'");
        assertThat(aggregates.get("Social_Mentions_30d__c").asLong()).isEqualTo(5);
        assertThat(Instant.parse(aggregates.get("Social_Last_Mention_At__c").asText().replace("+0000", "Z")))
                .isEqualTo(at[3]);

        // A second sync adds nothing: no mention put back, no API call beyond the sync's own queries.
        String before = snapshot(List.of(lara));
        double consumedBefore = consumed("social.mentions");
        double writerBefore = consumed("crm.outbound");
        double callsAfterFirst = crmApiCalls();
        syncDirectory();
        settle(consumedBefore);
        assertThat(consumed("social.mentions")).isEqualTo(consumedBefore);
        assertThat(consumed("crm.outbound")).isEqualTo(writerBefore);
        assertThat(crmApiCalls()).as("no writer call").isEqualTo(callsAfterFirst);
        assertThat(snapshot(List.of(lara))).isEqualTo(before);
        assertThat(soql("SELECT Id FROM Social_Mention__c WHERE External_Id__c LIKE 'x:lt-%'")).hasSize(5);
        assertReplayChangesNothing(List.of(lara));
    }

    // --- 3: airline strike -----------------------------------------------------------------------------------------

    @Test
    void airlineStrikeOneCasePerWorriedCustomerFollowUpsJoin() throws Exception {
        useRules(rulesFile, "airline-strike.yml");
        Instant t = io.hearth.support.TestClock.now().truncatedTo(ChronoUnit.SECONDS).minusSeconds(1800);

        ingest("x", xSearch("7001", "worried_wanda", "31001", 300, t, "7001", null,
                "@skyways Is my flight SK123 tomorrow cancelled because of the strike? Nobody answers the phone."));
        ingest("meta", metaFeed("status", "999_111", null, "55501", "Mark Meyer", t.plusSeconds(60),
                "Streik schon wieder! Mein Flug nach Palma wurde annulliert und niemand hilft. Wer zahlt mir das Hotel?"));
        ingest("forum", atom("post-3001", "anxious_anna", t.plusSeconds(120), "Strike on Friday",
                "Will my flight to Lisbon on Friday be cancelled because of the strike?"));
        ingest("x", xSearch("7003", "calm_carl", "31003", 900, t.plusSeconds(180), "7003", null,
                "Thanks @skyways, rebooked in two minutes despite the strike. Great crew, love it!"));

        // Follow-ups: a reply in the X thread, a comment under the Facebook post, a new forum post by the same author.
        ingest("x", xSearch("7002", "worried_wanda", "31001", 300, t.plusSeconds(600), "7001", "7001",
                "@skyways still waiting for an answer, do I need to rebook myself?"));
        ingest("meta", metaFeed("comment", "999_111", "111_222", "55501", "Mark Meyer", t.plusSeconds(660),
                "Immer noch keine Antwort. Bekomme ich mein Geld zurück?"));
        ingest("forum", atom("post-3002", "anxious_anna", t.plusSeconds(720), "Re: Strike on Friday",
                "Still no news about my flight. Can anyone help?"));

        assertThat(deadLetterReasons()).isEmpty();
        List<JsonNode> cases = soql("SELECT Social_Conversation_Id__c, ContactId, Origin, Priority, Status, Subject,"
                + " Description, Social_Mention__r.External_Id__c FROM Case WHERE Origin = 'Social'"
                + " AND (NOT Social_Conversation_Id__c LIKE 'case:x:tc-%') AND (NOT Social_Conversation_Id__c LIKE 'case:x:sv-%')"
                + " AND (NOT Social_Conversation_Id__c LIKE 'case:mastodon:%') ORDER BY Social_Conversation_Id__c");
        assertThat(cases).extracting(c -> c.get("Social_Conversation_Id__c").asText())
                .containsExactly("case:forum:tag:forum.example.com,2026:post-3001", "case:meta:999_111", "case:x:7001");
        JsonNode forum = cases.get(0);
        JsonNode meta = cases.get(1);
        JsonNode x = cases.get(2);
        assertThat(x.get("ContactId").asText()).as("known contact, no consent needed for service").isEqualTo(WANDA);
        assertThat(x.get("Description").asText()).contains("SK123").contains("still waiting for an answer");
        assertThat(x.get("Subject").asText()).startsWith("Social ").contains(" on x: @skyways Is my flight SK123");
        assertThat(x.path("Social_Mention__r").path("External_Id__c").asText()).isEqualTo("x:7001");
        assertThat(x.get("Status").asText()).isEqualTo("New");
        assertThat(meta.get("ContactId").isNull()).as("unknown author").isTrue();
        assertThat(meta.get("Description").asText()).contains("Palma").contains("Immer noch keine Antwort");
        assertThat(forum.get("Description").asText()).contains("Lisbon").contains("Still no news");
        assertThat(cases).allSatisfy(c -> assertThat(c.get("Priority").asText()).isIn("High", "Medium", "Low"));
        assertThat(soql("SELECT Id FROM Case WHERE ContactId = '" + CARL + "'")).as("praise opens no case").isEmpty();
        assertThat(soql("SELECT External_Id__c FROM Social_Mention__c WHERE External_Id__c IN ('x:7001', 'meta:999_111',"
                + " 'forum:tag:forum.example.com,2026:post-3001')")).as("each case's post is in the CRM").hasSize(3);

        assertReplayChangesNothing(List.of(WANDA, CARL));
    }

    // --- 3b: two-way service -------------------------------------------------------------------------------------

    @Test
    void twoWayServiceBrandRepliesTrackedAndAgentsAnswerFromTheCrm() throws Exception {
        useRules(rulesFile, "service-two-way.yml");
        Instant t = io.hearth.support.TestClock.now().truncatedTo(ChronoUnit.SECONDS).minusSeconds(3600);

        // Two worried customers: a known contact on X, an unknown author on Mastodon.
        ingest("x", xSearch("sv-9001", "olga_orders", "31061", 300, t, "sv-9001", null,
                "@nordkauf my order 4711 never arrived, the parcel is missing. Help?"));
        ingest("mention", mention("mastodon", "117100000000000001", "post", "pia@social.example", 40, t.plusSeconds(60),
                "@nordkauf my refund for order 99 is still missing", null, null, "117100000000000001"));
        // The brand's care account answers in the X thread after 25 minutes: the case is Responded.
        ingest("x", xSearch("sv-9002", "nordkauf_care", "50001", 90_000, t.plusSeconds(1500), "sv-9001", "sv-9001",
                "@olga_orders so sorry! We have sent you a DM about order 4711."));

        JsonNode x = one("SELECT Id, Status, First_Response_At__c, First_Response_Minutes__c, Description, ContactId"
                + " FROM Case WHERE Social_Conversation_Id__c = 'case:x:sv-9001'");
        assertThat(x.get("Status").asText()).isEqualTo("Responded");
        assertThat(x.get("First_Response_Minutes__c").asDouble()).isEqualTo(25.0);
        assertThat(x.get("ContactId").asText()).isEqualTo(OLGA);
        assertThat(x.get("Description").asText()).contains("order 4711 never arrived").contains("@nordkauf_care")
                .contains("sent you a DM");
        JsonNode masto = one("SELECT Id, Status, First_Response_At__c FROM Case"
                + " WHERE Social_Conversation_Id__c = 'case:mastodon:117100000000000001'");
        assertThat(masto.get("Status").asText()).as("nobody answered yet").isEqualTo("New");
        var timer = meters.find("hearth.case.first.response").tag("channel", "x").timer();
        assertThat(timer.count()).isEqualTo(1);
        assertThat(timer.takeSnapshot().percentileValues()).hasSize(2); // median and p90

        // Agents answer from the CRM: one reply per case, marked Ready; the hub polls once and posts.
        String toPia = create("Social_Reply__c", Map.of("Case__c", masto.get("Id").asText(),
                "Text__c", "We have refunded order 99 today, sorry for the wait.", "Status__c", "Ready"));
        String toWanda = create("Social_Reply__c", Map.of("Case__c", x.get("Id").asText(),
                "Text__c", "Your parcel is on its way again.", "Status__c", "Ready"));
        producer.requestBody("direct:service-reply-poll", "");
        await().atMost(java.time.Duration.ofSeconds(60)).until(() -> soql("SELECT Id FROM Social_Reply__c"
                + " WHERE Status__c = 'Ready'").isEmpty());
        settle(consumed("social.mentions"));

        JsonNode posted = one("SELECT Status__c, Posted_Id__c, Posted_Url__c, Posted_At__c FROM Social_Reply__c"
                + " WHERE Id = '" + toPia + "'");
        assertThat(posted.get("Status__c").asText()).isEqualTo("Posted");
        assertThat(posted.get("Posted_Id__c").asText()).isEqualTo("117100000000009999");
        assertThat(posted.get("Posted_Url__c").asText()).isEqualTo("https://social.nordkauf.example/@care/117100000000009999");
        assertThat(mastodonApi.requests()).hasSize(1);
        var post = mastodonApi.requests().get(0);
        assertThat(post.path()).isEqualTo("/api/v1/statuses");
        assertThat(post.header("Idempotency-Key")).isEqualTo(toPia);
        assertThat(post.header("Authorization")).isEqualTo("Bearer masto-token");
        var form = new io.hearth.support.ScriptedHttpServer.Request("POST", "/", post.body(), Map.of(), "").params();
        assertThat(form).containsEntry("in_reply_to_id", "117100000000000001")
                .containsEntry("status", "@pia@social.example We have refunded order 99 today, sorry for the wait.");
        JsonNode answered = one("SELECT Status, Social_Last_Reply_Id__c, First_Response_At__c FROM Case"
                + " WHERE Social_Conversation_Id__c = 'case:mastodon:117100000000000001'");
        assertThat(answered.get("Status").asText()).isEqualTo("Responded");
        assertThat(answered.get("Social_Last_Reply_Id__c").asText()).isEqualTo("117100000000009999");
        assertThat(answered.get("First_Response_At__c").isNull()).isFalse();

        // X refuses the reply (self-serve reply restriction): marked Failed with X's reason, dead-lettered.
        JsonNode refused = one("SELECT Status__c, Failure_Reason__c, Posted_Id__c FROM Social_Reply__c"
                + " WHERE Id = '" + toWanda + "'");
        assertThat(refused.get("Status__c").asText()).isEqualTo("Failed");
        assertThat(refused.get("Failure_Reason__c").asText())
                .startsWith("POST /2/tweets: HTTP 403 title=Forbidden detail=Reply to this conversation is not allowed");
        assertThat(refused.get("Posted_Id__c").isNull()).isTrue();
        assertThat(JSON.readTree(xApi.requests().get(0).body())).isEqualTo(JSON.readTree(
                "{\"text\":\"Your parcel is on its way again.\",\"reply\":{\"in_reply_to_tweet_id\":\"sv-9001\"}}"));
        List<jakarta.jms.Message> dlq = io.hearth.support.QueueProbe.of(broker).browse("DLQ.service.replies");
        assertThat(dlq).hasSize(1);
        assertThat(dlq.get(0).getStringProperty("HearthFailureReason")).contains("Reply to this conversation is not allowed");

        // Another poll and a full replay: nothing is posted again, nothing changes.
        producer.requestBody("direct:service-reply-poll", "");
        assertReplayChangesNothing(List.of(OLGA));
        assertThat(mastodonApi.requests()).hasSize(1);
        assertThat(xApi.requests()).hasSize(1);
        assertThat(one("SELECT Status__c FROM Social_Reply__c WHERE Id = '" + toPia + "'").get("Status__c").asText())
                .isEqualTo("Posted");
        assertThat(meters.find("hearth.case.first.response").tag("channel", "x").timer().count()).isEqualTo(1);
    }

    // --- 4: telco help community ---------------------------------------------------------------------------------

    @Test
    void telcoQuestionsBecomeCasesHelpersEarnBadgesAndAdvocacy() throws Exception {
        useRules(rulesFile, "telco-community.yml");
        Instant t = onNowsDay(io.hearth.support.TestClock.now(), 5400, 1400);

        ingest("mention", mention("x", "tc-q1", "post", "quentin_q", 200, t,
                "@telcoplus How do I set up the eSIM on my new phone?", null, null, "x:tc-q1"));
        ingest("mention", mention("x", "tc-q2", "post", "asker_two", 80, t.plusSeconds(60),
                "@telcoplus Why is my internet so slow since yesterday?", null, null, "x:tc-q2"));
        ingest("mention", mention("x", "tc-q3", "post", "asker_three", 40, t.plusSeconds(120),
                "Does telcoplus roaming work in Norway?", null, null, "x:tc-q3"));
        ingest("mention", mention("x", "tc-a1", "reply", "helpful_hanna", 600, t.plusSeconds(600),
                "@quentin_q Easy: Settings, Mobile, Add eSIM, scan the QR code. Works great, love it!", null, "x:tc-q1", "x:tc-q1"));
        ingest("mention", mention("x", "tc-a2", "reply", "helpful_hanna", 600, t.plusSeconds(660),
                "@asker_two A router restart fixed it for me, works perfectly now. Great tip!", null, "x:tc-q2", "x:tc-q2"));
        ingest("mention", mention("x", "tc-a3", "reply", "helpful_hanna", 600, t.plusSeconds(720),
                "@asker_three Yes, roaming works great in Norway, I loved it last summer!", null, "x:tc-q3", "x:tc-q3"));
        ingest("mention", mention("x", "tc-q1b", "reply", "quentin_q", 200, t.plusSeconds(900),
                "@helpful_hanna Thanks, that worked!", null, "x:tc-a1", "x:tc-q1"));
        ingest("mention", mention("x", "tc-h1", "post", "helpful_hanna", 600, t.plusSeconds(1200),
                "Love the new @telcoplus app, great update!", null, null, null));
        ingest("mention", mention("x", "tc-h2", "post", "helpful_hanna", 600, t.plusSeconds(1300),
                "Great coverage from @telcoplus on my trip, fantastic!", null, null, null));

        assertThat(deadLetterReasons()).isEmpty();
        List<JsonNode> cases = soql("SELECT Social_Conversation_Id__c, ContactId, Description FROM Case"
                + " WHERE Social_Conversation_Id__c LIKE 'case:x:tc-%' ORDER BY Social_Conversation_Id__c");
        assertThat(cases).extracting(c -> c.get("Social_Conversation_Id__c").asText())
                .containsExactly("case:x:tc-q1", "case:x:tc-q2", "case:x:tc-q3");
        assertThat(cases.get(0).get("ContactId").asText()).isEqualTo(QUENTIN);
        assertThat(cases.get(0).get("Description").asText()).as("the asker's follow-up joins").contains("Thanks, that worked");
        assertThat(cases.get(0).get("Description").asText()).as("a helper's answer is not the asker's case")
                .doesNotContain("scan the QR code");
        assertThat(rewardsOf(HANNA)).containsExactlyInAnyOrder("helpful-answer:" + HANNA + ":x:tc-a1=15",
                "helpful-answer:" + HANNA + ":x:tc-a2=15", "helpful-answer:" + HANNA + ":x:tc-a3=15",
                "badge:helper:" + HANNA + "=0 Helper");
        assertThat(rewardsOf(QUENTIN)).as("thanking is not answering").isEmpty();
        assertThat(points(HANNA)).isEqualTo(45);
        JsonNode hanna = one("SELECT Advocate__c, Advocate_Tier__c FROM Contact WHERE Id = '" + HANNA + "'");
        assertThat(hanna.get("Advocate_Tier__c").asText()).isEqualTo("community-advocate");

        assertReplayChangesNothing(List.of(HANNA, QUENTIN));
    }

    // --- 5: airline loyalty ----------------------------------------------------------------------------------------

    @Test
    void loyaltyPrizeDrawOpinionLeadersAndActiveAdvocates() throws Exception {
        useRules(rulesFile, "airline-loyalty.yml");
        Instant start = io.hearth.support.TestClock.now();
        Instant t = onNowsDay(start, 3600, 600);
        String[] praise = {
                "Flying @skyways again, the crew was wonderful! Love it ✈️ #travel",
                "Best lounge ever, thank you @skyways, great service #travel",
                "Amazing flight to Lisbon with @skyways, fantastic crew 😍 #travel"};
        for (int i = 0; i < 3; i++) {
            ingest("mention", mention("x", "loy-m" + i, "post", "mia_miles", 80_000, t.plusSeconds(i * 60L), praise[i],
                    null, null, null));
            ingest("mention", mention("x", "loy-l" + i, "post", "leo_lounge", 150, t.plusSeconds(i * 60L + 30), praise[i],
                    null, null, null));
        }

        assertThat(deadLetterReasons()).isEmpty();
        Rules.Draw draw = new Rules.Draw(100L, 100_000L, "skyways-linking-2026");
        for (String contact : List.of(MIA, LEO)) {
            JsonNode prize = one("SELECT Points__c, Rule__c FROM Social_Reward__c WHERE External_Id__c = 'welcome-draw:"
                    + contact + "'");
            long drawn = prize.get("Points__c").asLong();
            assertThat(drawn).as("auditable: seed + reward key").isEqualTo(RulesJudge.draw(draw, "welcome-draw:" + contact))
                    .isBetween(100L, 100_000L);
            assertThat(soql("SELECT Id FROM Social_Reward__c WHERE Rule__c = 'active-advocate' AND Contact__c = '"
                    + contact + "'")).hasSize(3);
            assertThat(points(contact)).isEqualTo(drawn + 750);
        }
        JsonNode mia = one("SELECT Advocate__c, Advocate_Tier__c, Advocate_Since__c, Social_Interests__c FROM Contact"
                + " WHERE Id = '" + MIA + "'");
        assertThat(mia.get("Advocate__c").asBoolean()).isTrue();
        assertThat(mia.get("Advocate_Tier__c").asText()).isEqualTo("opinion-leader");
        // the day the hub judged her posts: between the scenario's start and now (a run across UTC midnight sees either)
        assertThat(mia.get("Advocate_Since__c").asText()).isIn(start.atZone(ZoneOffset.UTC).toLocalDate().toString(),
                io.hearth.support.TestClock.now().atZone(ZoneOffset.UTC).toLocalDate().toString());
        assertThat(mia.get("Social_Interests__c").asText()).contains("#travel");
        JsonNode leo = one("SELECT Advocate__c, Advocate_Tier__c FROM Contact WHERE Id = '" + LEO + "'");
        assertThat(leo.get("Advocate_Tier__c").asText()).as("low reach: advocate, not opinion leader").isEqualTo("advocate");

        // A member links her profile now (verified linking: a one-time code posted from the account): the post that
        // links her is her first the hub attributes to her, so it draws her prize. Before linking, nothing.
        ingest("mention", mention("x", "loy-n0", "post", "nina_new", 400, t.plusSeconds(300),
                "Can't wait for my trip with @skyways", null, null, null));
        assertThat(rewardsOf(NINA)).as("not linked yet: not a member the hub knows").isEmpty();
        String code = apiPost("/api/links", "{\"loyaltyNumber\": \"HL-777001\", \"channel\": \"x\"}").get("code").asText();
        ingest("mention", mention("x", "loy-n1", "post", "nina_new", 400, t.plusSeconds(400),
                "Linking my account to my membership: " + code, null, null, null));
        assertThat(one("SELECT Contact__c FROM Social_Identity__c WHERE External_Id__c = 'x:nina_new'")
                .get("Contact__c").asText()).isEqualTo(NINA);
        JsonNode ninaPrize = one("SELECT Points__c, Mention__r.External_Id__c FROM Social_Reward__c"
                + " WHERE External_Id__c = 'welcome-draw:" + NINA + "'");
        assertThat(ninaPrize.get("Points__c").asLong()).isEqualTo(RulesJudge.draw(draw, "welcome-draw:" + NINA));
        assertThat(ninaPrize.path("Mention__r").path("External_Id__c").asText()).isEqualTo("x:loy-n1");
        assertThat(rewardsOf(NINA)).as("only the draw: the linking post names no brand").hasSize(1);

        assertReplayChangesNothing(List.of(MIA, LEO, NINA));

        // Issue 10, late attribution through a verified link: at the next directory sync her earlier post (stored while
        // she was unknown) is attributed to her and judged as if she had been known: its record and what the rules
        // grant for it (active advocate); the welcome draw, once per member, stays with the linking post.
        double before = consumed("social.mentions");
        syncDirectory();
        settle(before + 1);
        assertThat(one("SELECT Contact__c FROM Social_Mention__c WHERE External_Id__c = 'x:loy-n0'").get("Contact__c")
                .asText()).isEqualTo(NINA);
        assertThat(rewardsOf(NINA)).containsExactlyInAnyOrder("welcome-draw:" + NINA + "="
                + RulesJudge.draw(draw, "welcome-draw:" + NINA), "active-advocate:" + NINA + ":x:loy-n0=250");
        String attributed = snapshot(List.of(NINA));
        syncDirectory();
        settle(consumed("social.mentions"));
        assertThat(snapshot(List.of(NINA))).as("a second sync adds nothing").isEqualTo(attributed);
    }

    // --- 6: individual rewards (issue 13) -----------------------------------------------------------------------

    @Test
    void individualRewardsFitTheInterestsWithinStockAndSayWhy() throws Exception {
        useRules(rulesFile, "outdoor-individual-rewards.yml");
        Instant t = Instant.now().truncatedTo(ChronoUnit.SECONDS).minusSeconds(1800);
        String month = YearMonth.from(t.atZone(ZoneOffset.UTC)).toString();

        ingest("mention", mention("x", "ir-h1", "post", "hugo_hikes", 900, t,
                "Sunrise on the ridge, love my @trailhead boots! #hiking", null, null, null));
        ingest("mention", mention("x", "ir-h2", "post", "hugo_hikes", 900, t.plusSeconds(60),
                "Another great #hiking day, thank you @trailhead", null, null, null));
        ingest("mention", mention("x", "ir-a1", "post", "hana_trails", 300, t.plusSeconds(120),
                "Great #hiking weekend with @trailhead gear", null, null, null));
        ingest("mention", mention("x", "ir-i1", "post", "ivo_ridge", 300, t.plusSeconds(180),
                "#hiking in the rain, @trailhead jacket held up great", null, null, null));
        ingest("mention", mention("x", "ir-c1", "post", "cora_brew", 300, t.plusSeconds(240),
                "Morning #coffee at camp, thanks @trailhead, love it", null, null, null));
        ingest("mention", mention("x", "ir-p1", "post", "pia_plain", 300, t.plusSeconds(300),
                "Visited the @trailhead shop today", null, null, null));

        assertThat(deadLetterReasons()).isEmpty();
        List<String> goodies = new ArrayList<>();
        for (JsonNode r : soql("SELECT External_Id__c, Item__c, Item_Reason__c, Reason__c FROM Social_Reward__c"
                + " WHERE Rule__c = 'monthly-goodie' ORDER BY External_Id__c")) {
            goodies.add(r.get("External_Id__c").asText() + " " + r.get("Item__c").asText());
        }
        assertThat(goodies).containsExactlyInAnyOrder(
                "monthly-goodie:" + HUGO + ":" + month + " hiking-flask",
                "monthly-goodie:" + HANA + ":" + month + " hiking-flask",
                "monthly-goodie:" + IVO + ":" + month + " sticker-pack",     // the flasks are gone
                "monthly-goodie:" + CORA + ":" + month + " coffee-cup",
                "monthly-goodie:" + PIA + ":" + month + " sticker-pack");    // no interest known
        JsonNode hugo = one("SELECT Item_Reason__c, Reason__c, Mention__r.External_Id__c FROM Social_Reward__c"
                + " WHERE External_Id__c = 'monthly-goodie:" + HUGO + ":" + month + "'");
        assertThat(hugo.get("Item_Reason__c").asText()).isEqualTo("item hiking-flask for interest #hiking (profile: #hiking)");
        assertThat(hugo.get("Reason__c").asText()).as("one goodie a month, on the first post")
                .startsWith("mention of the brand on x, 0 points, once per month; item hiking-flask");
        assertThat(hugo.path("Mention__r").path("External_Id__c").asText()).isEqualTo("x:ir-h1");
        assertThat(one("SELECT Item_Reason__c FROM Social_Reward__c WHERE External_Id__c = 'monthly-goodie:" + IVO + ":"
                + month + "'").get("Item_Reason__c").asText())
                .isEqualTo("fallback item sticker-pack: no catalogue item matched interests #hiking");
        assertThat(one("SELECT Reason__c FROM Social_Reward__c WHERE External_Id__c = 'brand-mention:" + HUGO
                + ":x:ir-h2'").get("Reason__c").asText())
                .isEqualTo("mention of the brand on x, 10 points (cap 20/day: 10 before)");
        assertThat(points(HUGO)).isEqualTo(20);
        JsonNode flag = one("SELECT Advocate__c, Advocate_Rule__c, Advocate_Reason__c FROM Contact WHERE Id = '" + HUGO + "'");
        assertThat(flag.get("Advocate__c").asBoolean()).isTrue();
        assertThat(flag.get("Advocate_Rule__c").asText()).isEqualTo("advocates:advocate");
        assertThat(flag.get("Advocate_Reason__c").asText()).startsWith("2 positive mentions, average sentiment ")
                .endsWith(" in 90 days ≥ advocate tier (2 positive, sentiment 0.30)");

        // Reward triggers: one event per goodie, as a signed webhook and as a Hearth_Reward__e platform event
        List<String> goodieKeys = List.of(HUGO, HANA, IVO, CORA, PIA).stream()
                .map(c -> "monthly-goodie:" + c + ":" + month).toList();
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(60))
                .failFast(() -> assertThat(triggerDeadLetters()).as("dead-lettered goodie triggers")
                        .doesNotContainKeys(goodieKeys.toArray(String[]::new)))
                .until(() -> receiver.processed().keySet().containsAll(goodieKeys)
                        && platformEvents("Hearth_Reward__e").size() >= goodieKeys.size());
        List<WebhookReceiver.Call> hooks = receiver.calls().stream()
                .filter(c -> c.eventId().startsWith("monthly-goodie:")).toList();
        assertThat(hooks).allMatch(WebhookReceiver.Call::verified).allMatch(c -> c.signature().startsWith("sha256="));
        assertThat(hooks).extracting(WebhookReceiver.Call::eventId).containsExactlyInAnyOrderElementsOf(goodieKeys);
        JsonNode hugoHook = JSON.readTree(receiver.processed().get("monthly-goodie:" + HUGO + ":" + month));
        assertThat(hugoHook.get("type").asText()).isEqualTo("hearth.reward.granted");
        assertThat(hugoHook.get("contactId").asText()).isEqualTo(HUGO);
        assertThat(hugoHook.get("item").get("key").asText()).isEqualTo("hiking-flask");
        assertThat(hugoHook.get("item").get("reason").asText()).isEqualTo("item hiking-flask for interest #hiking (profile: #hiking)");
        List<JsonNode> events = platformEvents("Hearth_Reward__e");
        assertThat(events).extracting(e -> e.get("Event_Id__c").asText()).containsExactlyInAnyOrderElementsOf(goodieKeys);
        JsonNode ivoEvent = events.stream().filter(e -> e.get("Contact_Id__c").asText().equals(IVO)).findFirst().orElseThrow();
        assertThat(ivoEvent.get("Item__c").asText()).isEqualTo("sticker-pack");
        assertThat(ivoEvent.get("Rule__c").asText()).isEqualTo("monthly-goodie");

        assertReplayChangesNothing(List.of(HUGO, HANA, IVO, CORA, PIA));
        // a window of several trigger job ticks (interval 200 ms): a replay records no new trigger, so no webhook call
        // and no platform event follows it; the first look that sees one fails
        org.awaitility.Awaitility.await().during(java.time.Duration.ofMillis(1500)).atMost(java.time.Duration.ofSeconds(10))
                .pollInterval(java.time.Duration.ofMillis(100))
                .untilAsserted(() -> {
                    assertThat(receiver.calls().stream().filter(c -> c.eventId().startsWith("monthly-goodie:")).count())
                            .as("no webhook call after the replay").isEqualTo(hooks.size());
                    assertThat(platformEvents("Hearth_Reward__e")).as("no platform event after the replay").hasSize(events.size());
                });
        assertThat(receiver.idsWithTwoBodies()).isEmpty();

        // Backfill: a rule added after the posts is judged on the stored mentions, once
        useRules(rulesFile, "outdoor-individual-rewards.yml", s -> s.replace("\nrewards:\n",
                "\nrewards:\n  - key: hiking-fan\n    action: hashtag\n    hashtags: [hiking]\n    points: 5\n"));
        String range = "\"from\":\"" + t.atZone(ZoneOffset.UTC).toLocalDate().minusDays(1) + "\",\"until\":\""
                + t.plusSeconds(300).atZone(ZoneOffset.UTC).toLocalDate() + "\"";
        JsonNode first = backfill("{" + range + ",\"rules\":[\"hiking-fan\"],\"cases\":false}");
        assertThat(first.get("rewardsAdded").asLong()).as("#hiking posts of hugo (2), hana, ivo").isEqualTo(4);
        assertThat(first.get("done").asLong()).isEqualTo(first.get("total").asLong()).isGreaterThanOrEqualTo(6);
        assertThat(rewardsOf(HUGO)).contains("hiking-fan:" + HUGO + ":x:ir-h1=5", "hiking-fan:" + HUGO + ":x:ir-h2=5");
        assertThat(rewardsOf(CORA)).noneMatch(r -> r.startsWith("hiking-fan:"));
        String afterBackfill = snapshot(List.of(HUGO, HANA, IVO, CORA, PIA));
        int eventsAfter = platformEvents("Hearth_Reward__e").size();
        JsonNode second = backfill("{" + range + "}");
        assertThat(second.get("rewardsAdded").asLong()).as("a second run adds nothing").isZero();
        assertThat(second.get("flagsChanged").asLong()).isZero();
        assertThat(snapshot(List.of(HUGO, HANA, IVO, CORA, PIA))).isEqualTo(afterBackfill);
        assertThat(platformEvents("Hearth_Reward__e")).hasSize(eventsAfter);

        // bad requests: 400 with a clear message
        assertThat(apiPostAnswer("/api/rules/backfill", "{\"from\":\"2026-11-31\",\"until\":\"2026-12-01\"}"))
                .startsWith("400 ").contains("from: '2026-11-31' is not a valid date (YYYY-MM-DD)");
        assertThat(apiPostAnswer("/api/rules/backfill", "{\"from\":\"2026-12-02\",\"until\":\"2026-12-01\"}"))
                .startsWith("400 ").contains("until (2026-12-01) is before from (2026-12-02)");
        assertThat(apiPostAnswer("/api/rules/backfill", "{\"from\":\"2026-12-01\",\"until\":\"2026-12-01\",\"rules\":[\"nope\"]}"))
                .startsWith("400 ").contains("no reward rule nope in the rules in force");
        assertThat(apiPostAnswer("/api/rules/backfill", "not json")).startsWith("400 ");
    }

    /** Runs a backfill and waits for it to finish (the pipeline idle); its final status. */
    JsonNode backfill(String request) throws Exception {
        String id = apiPost("/api/rules/backfill", request).get("id").asText();
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(60)).pollInterval(java.time.Duration.ofMillis(200))
                .until(() -> !api("/api/rules/backfill/" + id).get("state").asText().equals("running"));
        settle(consumed("social.mentions"));
        JsonNode status = api("/api/rules/backfill/" + id);
        assertThat(status.get("state").asText()).isEqualTo("done");
        return status;
    }

    // --- reward webhook: retries and the DLQ ------------------------------------------------------------------------

    /** DLQ.rewards.triggers: event id → reason. */
    Map<String, String> triggerDeadLetters() throws Exception {
        Map<String, String> reasons = new LinkedHashMap<>();
        for (jakarta.jms.Message m : io.hearth.support.QueueProbe.of(broker).browse("DLQ.rewards.triggers")) {
            reasons.put(m.getStringProperty("HearthTriggerEventId"), m.getStringProperty("HearthFailureReason"));
        }
        return reasons;
    }

    @Test
    void rewardWebhookRetriesFailuresWithBackOffAndDeadLettersRefusals() throws Exception {
        receiver.script("test:retry", 500, 503);          // then 200
        receiver.script("test:refused", 400);
        receiver.script("test:down", 500, 500, 500, 500, 500, 500);
        for (String id : List.of("test:retry", "test:refused", "test:down")) {
            jdbc.update("INSERT INTO hearth_reward_trigger (event_id, target, contact_id, body, created_at)"
                    + " VALUES (?, 'webhook', NULL, ?, CURRENT_TIMESTAMP)", id, "{\"id\":\"" + id + "\"}");
        }
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(60))
                .until(() -> receiver.processed().containsKey("test:retry") && triggerDeadLetters().keySet()
                        .containsAll(List.of("test:refused", "test:down")));
        assertThat(receiver.calls("test:retry")).extracting(WebhookReceiver.Call::status).containsExactly(500, 503, 200);
        assertThat(receiver.calls("test:retry")).allMatch(WebhookReceiver.Call::verified)
                .extracting(WebhookReceiver.Call::body).containsOnly("{\"id\":\"test:retry\"}");
        assertThat(receiver.calls("test:refused")).as("a refusal is not retried").hasSize(1);
        assertThat(receiver.calls("test:down")).as("first attempt and 3 retries").hasSize(4);
        assertThat(triggerDeadLetters()).containsEntry("test:refused", "TriggerRefusedException: webhook refused the event: HTTP 400")
                .containsEntry("test:down", "TriggerFailedException: webhook answered HTTP 500");
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM hearth_reward_trigger WHERE event_id = 'test:retry'"
                + " AND delivered_at IS NOT NULL", Integer.class)).isEqualTo(1);
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM hearth_reward_trigger WHERE event_id IN ('test:refused',"
                + " 'test:down') AND delivered_at IS NULL", Integer.class)).isEqualTo(2);
    }

    // --- helpers ---------------------------------------------------------------------------------------------------

    /** Replays the scenario and compares rewards, cases and the contacts' flags and points before and after. */
    void assertReplayChangesNothing(List<String> contacts) throws Exception {
        String before = snapshot(contacts);
        int dlq = deadLetters();
        replay();
        assertThat(snapshot(contacts)).isEqualTo(before);
        assertThat(deadLetters()).isEqualTo(dlq);
    }

    String snapshot(List<String> contacts) throws Exception {
        String ids = contacts.stream().map(c -> "'" + c + "'").collect(Collectors.joining(","));
        List<String> lines = new ArrayList<>();
        for (JsonNode r : soql("SELECT External_Id__c, Contact__c, Rule__c, Points__c, Badge__c, Awarded_At__c, Reason__c,"
                + " Item__c, Item_Reason__c FROM Social_Reward__c ORDER BY External_Id__c")) {
            lines.add(strip(r));
        }
        for (JsonNode r : soql("SELECT Social_Conversation_Id__c, ContactId, Priority, Subject, Description, Status,"
                + " Social_Rule__c, Social_Reason__c FROM Case ORDER BY Social_Conversation_Id__c")) {
            lines.add(strip(r));
        }
        for (JsonNode r : soql("SELECT Id, Advocate__c, Advocate_Tier__c, Advocate_Since__c, Social_Points__c,"
                + " Advocate_Rule__c, Advocate_Reason__c FROM Contact"
                + " WHERE Id IN (" + ids + ") ORDER BY Id")) {
            lines.add(strip(r));
        }
        return String.join("\n", lines);
    }

    private static String strip(JsonNode r) {
        ((com.fasterxml.jackson.databind.node.ObjectNode) r).remove("attributes");
        return r.toString();
    }

    List<String> rewardsOf(String contact) throws Exception {
        List<String> out = new ArrayList<>();
        for (JsonNode r : soql("SELECT External_Id__c, Points__c, Badge__c FROM Social_Reward__c WHERE Contact__c = '"
                + contact + "'")) {
            out.add(r.get("External_Id__c").asText() + "=" + r.get("Points__c").asLong()
                    + (r.get("Badge__c").isNull() ? "" : " " + r.get("Badge__c").asText()));
        }
        return out;
    }

    long points(String contact) throws Exception {
        return one("SELECT Social_Points__c FROM Contact WHERE Id = '" + contact + "'").get("Social_Points__c").asLong();
    }

    /** An X API v2 recent-search page with one post and its author. */
    static String xSearch(String id, String username, String userId, long followers, Instant at, String conversation,
                          String repliedTo, String text) throws Exception {
        var post = JSON.createObjectNode();
        post.put("id", id);
        post.put("author_id", userId);
        post.put("text", text);
        post.put("created_at", at.toString());
        post.put("lang", "en");
        post.put("conversation_id", conversation);
        if (repliedTo != null) {
            post.putArray("referenced_tweets").addObject().put("type", "replied_to").put("id", repliedTo);
        }
        post.putObject("public_metrics").put("retweet_count", 0).put("reply_count", 0).put("like_count", 1)
                .put("quote_count", 0);
        var page = JSON.createObjectNode();
        page.putArray("data").add(post);
        var user = page.putObject("includes").putArray("users").addObject();
        user.put("id", userId).put("username", username).put("name", username);
        user.putObject("public_metrics").put("followers_count", followers);
        page.putObject("meta").put("result_count", 1);
        return JSON.writeValueAsString(page);
    }

    /** A Facebook Page webhook (feed change): a status post, or a comment under one. */
    static String metaFeed(String item, String postId, String commentId, String fromId, String name, Instant at,
                           String message) throws Exception {
        var value = JSON.createObjectNode();
        value.put("item", item).put("verb", "add");
        value.putObject("from").put("id", fromId).put("name", name);
        value.put("post_id", postId);
        if (commentId != null) {
            value.put("comment_id", commentId).put("parent_id", postId);
        }
        value.put("created_time", at.getEpochSecond());
        value.put("message", message);
        var root = JSON.createObjectNode();
        root.put("object", "page");
        var entry = root.putArray("entry").addObject();
        entry.put("id", postId.substring(0, postId.indexOf('_')));
        entry.put("time", at.getEpochSecond());
        entry.putArray("changes").addObject().put("field", "feed").set("value", value);
        return JSON.writeValueAsString(root);
    }

    /** A forum's Atom feed with one entry. */
    static String atom(String id, String author, Instant at, String title, String body) {
        return """
                <?xml version="1.0" encoding="utf-8"?>
                <feed xmlns="http://www.w3.org/2005/Atom" xml:lang="en">
                  <title>Skyways community</title>
                  <id>tag:forum.example.com,2026:feed</id>
                  <updated>%s</updated>
                  <entry>
                    <title>%s</title>
                    <link rel="alternate" href="https://forum.example.com/t/%s"/>
                    <id>tag:forum.example.com,2026:%s</id>
                    <published>%s</published>
                    <author><name>%s</name></author>
                    <content type="html">&lt;p&gt;%s&lt;/p&gt;</content>
                  </entry>
                </feed>
                """.formatted(at, title, id, id, at, author, body);
    }
}
