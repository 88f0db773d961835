package io.hearth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.hearth.support.ChildHub;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Acceptance 3: a real hub in a child JVM is killed with SIGKILL in the middle of a stream of
 * ingest posts, twice, and restarted on the same data directory each time. The authors are consenting contacts in the
 * directory, so every mention becomes two CRM commands on {@code crm.outbound} (its Social_Mention__c upsert and its
 * contact's aggregates; the writer is off, so they stay there). Every mention of every post that was answered 202
 * reaches {@code crm.outbound}, none twice, and posting the same mentions again after the crashes adds none.
 *
 * <p>The client behaves like a real one: a post cut off by the crash got no answer, so it is sent
 * again to the restarted hub. Such a post may already be in {@code social.inbound} (committed, but
 * the 202 never left), so the retry also proves that dedup holds across a crash.
 */
class CrashSafetyIT {

    private static final int POSTS = 60;
    private static final int MENTIONS_PER_POST = 50;
    private static final String CHANNEL = "crash";
    /** Social_Mention__c upsert + Contact aggregates update. */
    private static final int COMMANDS_PER_MENTION = 2;
    private static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(60);
    private static final String[] STAGES = {"social.inbound", "social.mentions"};
    private static final String[] DLQS = {"DLQ.social.inbound", "DLQ.social.mentions", "DLQ.crm.outbound"};

    private final ObjectMapper json = new ObjectMapper();

    @Test
    void everyAcceptedMentionReachesCrmOutboundExactlyOnceAcrossKillNine(@TempDir Path dataDir) throws Exception {
        Set<Integer> accepted = new ConcurrentSkipListSet<>();
        // H2 in the data directory, or PostgreSQL with -Dhearth.test.state-db=postgresql (profile postgres-state)
        java.util.Map<String, String> db = io.hearth.support.StateDb.properties("crash");
        io.hearth.support.StateSeed.consentingContacts(db, dataDir, CHANNEL,
                IntStream.range(0, MENTIONS_PER_POST).mapToObj(m -> "user" + m).toList());
        // The rules judge is off: the count below is the enrich stage's two commands per mention ("#crash" reads as a
        // complaint, which the shipped rules would turn into a case per post).
        ChildHub.Builder builder = ChildHub.builder("crash-safety", dataDir).arg("--hearth.rules.enabled=false");
        db.forEach((k, v) -> builder.arg("--" + k + "=" + v));
        try (ChildHub hub = builder.build()) {
            hub.startAndAwaitReady();

            // Two crashes, each while the poster is still sending and the pipeline is busy.
            int[] killAfter = {10, 10};
            for (int round = 1; round <= killAfter.length; round++) {
                List<Integer> remaining = notYet(accepted);
                Poster poster = new Poster(hub, remaining, accepted, killAfter[round - 1]);
                poster.start();
                assertThat(poster.reachedKillPoint.await(60, TimeUnit.SECONDS))
                        .as("round %d: %d posts accepted before the kill point; statuses %s", round, poster.acceptedHere(),
                                poster.statuses).isTrue();
                hub.kill9();
                int acceptedAtKill = poster.acceptedHere();
                poster.join(30_000);
                assertThat(poster.isAlive()).as("poster stops once the hub is gone").isFalse();

                // The kill landed mid-stream: the poster was cut off and had posts left.
                assertThat(poster.cutOff).as("round %d: a post was cut off by the kill (statuses %s)", round, poster.statuses)
                        .isNotNull();
                assertThat(notYet(accepted)).as("round %d: posts left unaccepted by the kill", round).isNotEmpty();
                assertThat(poster.statuses.keySet()).as("only 202 answers before the kill").containsOnly(202);

                hub.startAndAwaitReady();
                awaitDrained(hub);

                // The kill landed mid-pipeline: the restarted hub found work left in the stage queues.
                double leftover = consumed(hub, "social.inbound") + consumed(hub, "social.mentions");
                System.out.printf("round %d: killed after %d of %d posts of this round were accepted (%d in all, "
                        + "statuses %s); the restarted hub then consumed %.0f messages left in the stage queues%n",
                        round, acceptedAtKill, remaining.size(), accepted.size(), poster.statuses, leftover);
                assertThat(leftover).as("round %d: messages left in social.inbound/social.mentions at the kill", round)
                        .isPositive();

                assertExactlyOnce(hub, accepted);
            }

            // The client resends what the crashes left unanswered; now everything is accepted.
            Poster rest = new Poster(hub, notYet(accepted), accepted, Integer.MAX_VALUE);
            rest.start();
            rest.join(60_000);
            assertThat(rest.cutOff).as("no failure without a kill").isNull();
            assertThat(accepted).hasSize(POSTS);
            await("all " + POSTS * MENTIONS_PER_POST + " mentions in crm.outbound").atMost(DRAIN_TIMEOUT)
                    .pollInterval(Duration.ofMillis(250))
                    .until(() -> hub.messageCounts("crm.outbound").get("crm.outbound"), n -> n >= COMMANDS_PER_MENTION * POSTS * MENTIONS_PER_POST);
            awaitDrained(hub);
            List<String> ids = assertExactlyOnce(hub, accepted);
            assertThat(ids).hasSize(POSTS * MENTIONS_PER_POST);

            // Dedup survives the crashes: the same mentions posted again add nothing.
            double inboundBefore = consumed(hub, "social.inbound");
            for (int post = 0; post < POSTS; post++) {
                HttpResponse<String> answer = postMentions(hub, post);
                assertThat(answer.statusCode()).as("re-post %d: %s", post, answer.body()).isEqualTo(202);
            }
            await("the re-posted payloads are through normalise").atMost(DRAIN_TIMEOUT).pollInterval(Duration.ofMillis(250))
                    .until(() -> consumed(hub, "social.inbound") - inboundBefore >= POSTS);
            awaitDrained(hub);
            assertThat(hub.messageCounts("crm.outbound").get("crm.outbound")).isEqualTo((long) COMMANDS_PER_MENTION * POSTS * MENTIONS_PER_POST);
            assertThat(assertExactlyOnce(hub, accepted)).hasSize(POSTS * MENTIONS_PER_POST);
            assertThat(hub.messageCounts(DLQS).values()).as("dead letters").containsOnly(0L);
        }
    }

    /** crm.outbound holds every mention of every accepted post, and no mention twice. Returns its ids. */
    private List<String> assertExactlyOnce(ChildHub hub, Set<Integer> acceptedPosts) throws Exception {
        // crm.outbound has no consumer here and the stages are drained: its content is stable, so a
        // browse must see as many messages as the broker counts; a shorter one is the browse's fault.
        long count = hub.messageCounts("crm.outbound").get("crm.outbound");
        List<String> bodies = await("a browse of crm.outbound that sees all " + count + " messages the broker counts")
                .atMost(Duration.ofSeconds(30)).until(() -> hub.browse("crm.outbound"), b -> b.size() == count);
        List<String> ids = new ArrayList<>();
        int contactUpdates = 0;
        for (String body : bodies) {
            com.fasterxml.jackson.databind.JsonNode command = json.readTree(body);
            if ("Social_Mention__c".equals(command.path("object").asText())) {
                ids.add(command.path("externalId").asText());
            } else if ("Contact".equals(command.path("object").asText())) {
                contactUpdates++;
            }
        }
        assertThat(contactUpdates).as("one aggregates update per mention").isEqualTo(ids.size());
        Map<String, Long> counts = ids.stream().collect(Collectors.groupingBy(id -> id, Collectors.counting()));
        Map<String, Long> twice = new HashMap<>();
        counts.forEach((id, n) -> {
            if (n > 1) {
                twice.put(id, n);
            }
        });
        assertThat(twice).as("mentions in crm.outbound more than once").isEmpty();
        Set<String> expected = new TreeSet<>();
        acceptedPosts.forEach(post -> IntStream.range(0, MENTIONS_PER_POST).forEach(m -> expected.add(mentionId(post, m))));
        Set<String> missing = new TreeSet<>(expected);
        missing.removeAll(counts.keySet());
        assertThat(missing).as("accepted mentions missing from crm.outbound (%d accepted posts)", acceptedPosts.size()).isEmpty();
        return ids;
    }

    private static void awaitDrained(ChildHub hub) {
        await("social.inbound and social.mentions drained").atMost(DRAIN_TIMEOUT).pollInterval(Duration.ofMillis(250))
                .until(() -> hub.messageCounts(STAGES).values().stream().allMatch(n -> n == 0));
    }

    private static double consumed(ChildHub hub, String queue) throws IOException, InterruptedException {
        return hub.metric("hearth_queue_consumed_total", "queue=\"" + queue + "\"");
    }

    private static List<Integer> notYet(Set<Integer> accepted) {
        return IntStream.range(0, POSTS).filter(p -> !accepted.contains(p)).boxed().toList();
    }

    static String mentionId(int post, int mention) {
        return CHANNEL + ":" + nativeId(post, mention);
    }

    private static String nativeId(int post, int mention) {
        return String.format("p%02d-m%02d", post, mention);
    }

    private static HttpResponse<String> postMentions(ChildHub hub, int post) throws IOException, InterruptedException {
        StringBuilder jsonl = new StringBuilder();
        for (int m = 0; m < MENTIONS_PER_POST; m++) {
            jsonl.append("{\"channel\":\"").append(CHANNEL).append("\",\"nativeId\":\"").append(nativeId(post, m))
                    .append("\",\"text\":\"mention ").append(m).append(" of post ").append(post)
                    .append(" #crash\",\"createdAt\":\"2026-11-20T10:00:00Z\",\"author\":{\"handle\":\"user").append(m)
                    .append("\"}}\n");
        }
        return hub.post("/api/ingest/mention", "application/x-ndjson", jsonl.toString());
    }

    /** Posts one payload after the other until done or until the hub stops answering. */
    private static final class Poster extends Thread {
        private final ChildHub hub;
        private final List<Integer> posts;
        private final Set<Integer> accepted;
        private final int killPoint;
        private final Set<Integer> acceptedHere = new LinkedHashSet<>();
        final CountDownLatch reachedKillPoint = new CountDownLatch(1);
        final Map<Integer, Integer> statuses = new java.util.concurrent.ConcurrentHashMap<>();
        volatile Exception cutOff;

        Poster(ChildHub hub, List<Integer> posts, Set<Integer> accepted, int killPoint) {
            super("poster");
            this.hub = hub;
            this.posts = posts;
            this.accepted = accepted;
            this.killPoint = killPoint;
            setDaemon(true);
        }

        @Override
        public void run() {
            for (int post : posts) {
                try {
                    HttpResponse<String> answer = postMentions(hub, post);
                    statuses.merge(answer.statusCode(), 1, Integer::sum);
                    if (answer.statusCode() == 202) {
                        accepted.add(post);
                        synchronized (acceptedHere) {
                            acceptedHere.add(post);
                            if (acceptedHere.size() >= killPoint) {
                                reachedKillPoint.countDown();
                            }
                        }
                    }
                } catch (IOException e) {
                    cutOff = e;
                    return;
                } catch (InterruptedException e) {
                    return;
                }
            }
        }

        int acceptedHere() {
            synchronized (acceptedHere) {
                return acceptedHere.size();
            }
        }
    }
}
