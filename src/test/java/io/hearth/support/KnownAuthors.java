package io.hearth.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The load of known, consenting authors and its exact outcome in the CRM, shared by the chaos suite
 * ({@code io.hearth.crm.FaultInjectionChaos}) and the cluster tests ({@code io.hearth.cluster}).
 *
 * <p>Authors: a sandbox seed ({@link #writeSeed}) of {@code Contact}s {@link #contactId}(n), each with a verified X
 * identity {@code fan<n>}. Load ({@link #load}): per author, rounds of four mentions (a campaign post naming the brand, a
 * complaint, a thank-you, another campaign post), all dated now. Under the default rules ({@code config/rules.yml}) one
 * round makes, per author: 4 {@code Social_Mention__c}, 6 {@code Social_Reward__c} (brand-mention 3 × 10 points, the
 * day cap 30; campaign-post 2 × 10, the day cap 20; the Fan badge at 50 points), 1 {@code Case} (the complaint, written
 * twice: {@link #CASE_WRITES}) and 1 advocate flag ({@code Contact.Advocate__c}). More rounds on the same day add their
 * mentions and one case per complaint (each complaint is a new conversation, and {@code join-author-within-hours} is 0
 * by default), and no rewards or flags: every cap is reached in the first round, the flag is set once ({@link #expected};
 * measured 2026-12-06 with 20 mentions of each of 500 authors: 3,000 rewards, 2,500 cases, 500 flags).
 * {@link #outcome} counts what the CRM holds for a set of authors.
 */
public final class KnownAuthors {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Mentions in one round of the load shape. */
    public static final int ROUND = 4;
    /** The sandbox's writes of each Case the load opens, by design (the chaos suite's reference row: 2 per case). */
    public static final int CASE_WRITES = 2;

    private KnownAuthors() {
    }

    /** Records of each kind in the CRM for a set of authors. */
    public record Outcome(long mentions, long rewards, long cases, long flags) {
        public Outcome times(int n) {
            return new Outcome(mentions * n, rewards * n, cases * n, flags * n);
        }

        @Override
        public String toString() {
            return mentions + " mentions, " + rewards + " rewards, " + cases + " cases, " + flags + " advocate flags";
        }
    }

    /** A SOQL {@code COUNT()} query against the CRM. */
    @FunctionalInterface
    public interface Soql {
        long count(String soql) throws Exception;
    }

    /**
     * What the default rules make of {@code perAuthor} mentions (whole rounds, one day) of each of {@code authors}
     * authors: all mentions, 6 rewards, 1 case per round and 1 advocate flag per author.
     */
    public static Outcome expected(int authors, int perAuthor) {
        if (perAuthor % ROUND != 0 || perAuthor == 0) {
            throw new IllegalArgumentException("whole rounds of " + ROUND + " mentions per author, not " + perAuthor);
        }
        return new Outcome(perAuthor, 6, perAuthor / ROUND, 1).times(authors);
    }

    /** An 18-character Contact id of the tests' own (not the sandbox's "HS" form). */
    public static String contactId(int n) {
        String id15 = "003TS" + String.format("%010d", n);
        String suffixChars = "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345";
        StringBuilder suffix = new StringBuilder();
        for (int chunk = 0; chunk < 3; chunk++) {
            int bits = 0;
            for (int i = 0; i < 5; i++) {
                char c = id15.charAt(chunk * 5 + i);
                if (c >= 'A' && c <= 'Z') {
                    bits |= 1 << i;
                }
            }
            suffix.append(suffixChars.charAt(bits));
        }
        return id15 + suffix;
    }

    /**
     * A seed file {@code dir/seed.json} with {@code consenting} contacts (ids {@link #contactId} 1..n) and
     * {@code refusing} more after them with Social_Consent__c false, each with a verified X identity {@code fan<n>}
     * (External_Id__c {@code x:fan<n>}).
     */
    public static Path writeSeed(Path dir, int consenting, int refusing) throws IOException {
        List<Map<String, Object>> people = new ArrayList<>();
        List<Map<String, Object>> identities = new ArrayList<>();
        for (int i = 1; i <= consenting + refusing; i++) {
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("Id", contactId(i));
            c.put("LastName", "Tester" + i);
            c.put("Social_Consent__c", i <= consenting);
            people.add(c);
            Map<String, Object> identity = new LinkedHashMap<>();
            identity.put("Contact__c", contactId(i));
            identity.put("Channel__c", "x");
            identity.put("Handle__c", "fan" + i);
            identity.put("External_Id__c", "x:fan" + i);
            identity.put("Verified__c", true);
            identities.add(identity);
        }
        Path seed = dir.resolve("seed.json");
        Files.createDirectories(dir);
        JSON.writeValue(seed.toFile(), Map.of("Contact", people, "Social_Identity__c", identities));
        return seed;
    }

    /**
     * {@code perAuthor} mentions of each author (NDJSON lines for {@code POST /api/ingest/mention}), in pages of
     * {@code page} lines: round by round, every author's k-th mention before anyone's (k+1)-th. Native ids
     * {@code <prefix>-<contact>-<k>} on channel x, so the CRM's External_Id__c is {@code x:<prefix>-<contact>-<k>}.
     */
    public static List<List<String>> load(String prefix, List<Integer> contacts, int perAuthor, int page) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        List<String> lines = new ArrayList<>();
        for (int k = 0; k < perAuthor; k++) {
            for (int contact : contacts) {
                String text = switch (k % ROUND) {
                    case 0 -> "Loving @hearth_brand, great service #hearthcampaign";
                    case 1 -> "Terrible delay with @hearth_brand again, really bad service, please help";
                    case 2 -> "Thanks @hearth_brand, the new app is great";
                    default -> "What a great trip with hearth #hearthcampaign";
                };
                lines.add("{\"channel\":\"x\",\"nativeId\":\"" + prefix + "-" + contact + "-" + k + "\",\"text\":\"" + text
                        + "\",\"createdAt\":\"" + now + "\",\"author\":{\"handle\":\"fan" + contact + "\",\"followers\":1200}"
                        + (k % ROUND == 1 ? "" : ",\"hashtags\":[\"hearthcampaign\"]") + "}");
            }
        }
        List<List<String>> posts = new ArrayList<>();
        for (int from = 0; from < lines.size(); from += page) {
            posts.add(lines.subList(from, Math.min(lines.size(), from + page)));
        }
        return posts;
    }

    /**
     * What the CRM holds for these authors: mentions whose External_Id__c starts with {@code x:<prefix>-}, rewards and
     * cases of the contacts, contacts flagged advocate. Asked in chunks of 100 contacts (the query string's length).
     */
    public static Outcome outcome(Soql soql, String prefix, List<Integer> contacts) throws Exception {
        long mentions = mentions(soql, prefix);
        long rewards = 0;
        long cases = 0;
        long flags = 0;
        for (int from = 0; from < contacts.size(); from += 100) {
            String ids = contacts.subList(from, Math.min(contacts.size(), from + 100)).stream()
                    .map(n -> "'" + contactId(n) + "'").collect(Collectors.joining(","));
            rewards += soql.count("SELECT COUNT() FROM Social_Reward__c WHERE Contact__c IN (" + ids + ")");
            cases += soql.count("SELECT COUNT() FROM Case WHERE ContactId IN (" + ids + ")");
            flags += soql.count("SELECT COUNT() FROM Contact WHERE Advocate__c = true AND Id IN (" + ids + ")");
        }
        return new Outcome(mentions, rewards, cases, flags);
    }

    /** Mentions of a load in the CRM (External_Id__c {@code x:<prefix>-…}). */
    public static long mentions(Soql soql, String prefix) throws Exception {
        return soql.count("SELECT COUNT() FROM Social_Mention__c WHERE External_Id__c LIKE 'x:" + prefix + "-%'");
    }
}
