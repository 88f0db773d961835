package io.hearth.channel.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hearth.channel.ChannelMapper;
import io.hearth.channel.MappedPayload;
import io.hearth.channel.bluesky.BlueskySearchMapper;
import io.hearth.channel.forum.FeedMapper;
import io.hearth.channel.mastodon.MastodonStatusMapper;
import io.hearth.channel.mention.CanonicalMentionMapper;
import io.hearth.channel.meta.MetaWebhookMapper;
import io.hearth.channel.reddit.RedditListingMapper;
import io.hearth.channel.twitter.TwitterSearchMapper;
import io.hearth.channel.x.XSearchMapper;
import io.hearth.channel.xactivity.AccountActivityMapper;
import io.hearth.channel.youtube.YoutubeCommentThreadsMapper;
import io.hearth.mention.InvalidMentionException;
import io.hearth.mention.Mention;
import io.hearth.mention.MentionKind;
import io.hearth.mention.MentionValidator;
import io.hearth.mention.TestObjectMappers;
import io.hearth.support.Fixtures;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;

/**
 * Fuzzing (issue 18): every channel mapper and the canonical validator, fed mutated real payloads (the channel fixtures
 * under src/test/resources/fixtures and, when present, /work/shared/reference-payloads): truncation, type swaps, huge
 * strings, lone surrogates, deep nesting, bad character references, extreme numbers. The property: nothing but
 * {@link InvalidMentionException} (the payload refused with a reason) escapes {@code mapPayload}; otherwise every item is
 * either a mention that passes the validator or a rejection with a reason. The inputs tried per mapper are printed.
 * Seeds are fixed (jqwik's default seed handling; a failure prints the seed and the shrunk input).
 */
class MapperFuzzTest {

    private static final ObjectMapper JSON = TestObjectMappers.springLike();

    /** mapper → the directory of its fixtures and of its reference payloads. */
    private static final Map<ChannelMapper, String[]> MAPPERS = new LinkedHashMap<>();
    static {
        MAPPERS.put(new BlueskySearchMapper(JSON), new String[] {"bluesky", "bluesky"});
        MAPPERS.put(new FeedMapper(), new String[] {"forum", null});
        MAPPERS.put(new MastodonStatusMapper(JSON), new String[] {"mastodon", "mastodon"});
        MAPPERS.put(new CanonicalMentionMapper(JSON), new String[] {"mention", null});
        MAPPERS.put(new MetaWebhookMapper(JSON), new String[] {"meta", "meta"});
        MAPPERS.put(new RedditListingMapper(JSON), new String[] {"reddit", "reddit"});
        MAPPERS.put(new TwitterSearchMapper(JSON), new String[] {"twitter", "x-v1.1"});
        MAPPERS.put(new XSearchMapper(JSON), new String[] {"x", "x-v2"});
        MAPPERS.put(new AccountActivityMapper(JSON), new String[] {"x-activity", null});
        MAPPERS.put(new YoutubeCommentThreadsMapper(JSON), new String[] {"youtube", "youtube"});
    }

    private static final Map<String, List<String>> SEEDS = new LinkedHashMap<>();
    private static final Map<String, AtomicLong> TRIED = new ConcurrentHashMap<>();
    private static final Map<String, AtomicLong> REFUSED = new ConcurrentHashMap<>();
    private static final Map<String, AtomicLong> MAPPED = new ConcurrentHashMap<>();
    private static final Map<String, AtomicLong> REJECTED = new ConcurrentHashMap<>();

    static {
        for (Map.Entry<ChannelMapper, String[]> e : MAPPERS.entrySet()) {
            List<String> seeds = new ArrayList<>(fixtures(e.getValue()[0]));
            if (e.getValue()[1] != null) {
                seeds.addAll(references(e.getValue()[1]));
            }
            SEEDS.put(e.getKey().channel(), seeds);
        }
    }

    record Case(ChannelMapper mapper, String seed, List<Mutation> mutations, long random) {
        String payload() {
            Random r = new Random(random);
            String p = seed;
            for (Mutation m : mutations) {
                p = m.apply(p, r, mapper instanceof FeedMapper);
            }
            return p;
        }

        @Override
        public String toString() {
            return mapper.channel() + " " + mutations + " (random " + random + ", seed payload of " + seed.length() + " chars)";
        }
    }

    enum Mutation {
        TRUNCATE, TYPE_SWAP, HUGE_STRING, SURROGATES, DEEP_NESTING, BAD_ENTITIES, EXTREME_NUMBERS, DROP_FIELD;

        String apply(String payload, Random r, boolean xml) {
            if (xml || this == TRUNCATE) {
                return text(payload, r);
            }
            JsonNode root;
            try {
                root = JSON.readTree(payload);
            } catch (IOException | RuntimeException e) {
                return text(payload, r);   // an earlier mutation broke the JSON: mutate the text
            }
            if (root == null) {
                return text(payload, r);
            }
            List<JsonNode> containers = new ArrayList<>();
            collect(root, containers);
            if (containers.isEmpty()) {
                return text(payload, r);
            }
            JsonNode target = containers.get(r.nextInt(containers.size()));
            if (target instanceof ObjectNode o && o.size() > 0) {
                List<String> names = new ArrayList<>();
                o.fieldNames().forEachRemaining(names::add);
                String name = names.get(r.nextInt(names.size()));
                if (this == DROP_FIELD) {
                    o.remove(name);
                } else {
                    o.set(name, replace(o.get(name), r));
                }
            } else if (target instanceof ArrayNode a && a.size() > 0) {
                int i = r.nextInt(a.size());
                if (this == DROP_FIELD) {
                    a.remove(i);
                } else {
                    a.set(i, replace(a.get(i), r));
                }
            }
            String out = root.toString();
            if (this == DEEP_NESTING) {
                int depth = 50 + r.nextInt(2_000);
                boolean arrays = r.nextBoolean();
                String open = arrays ? "[" : "{\"a\":";
                String close = arrays ? "]" : "}";
                out = out.replace("\"" + NEST + "\"", open.repeat(depth) + "1" + close.repeat(depth));
            }
            return out;
        }

        static final String NEST = "__hearth_fuzz_nest__";

        private JsonNode replace(JsonNode value, Random r) {
            JsonNodeFactory f = JsonNodeFactory.instance;
            return switch (this) {
                case TYPE_SWAP -> switch (r.nextInt(6)) {
                    case 0 -> f.textNode(value.toString());
                    case 1 -> f.numberNode(r.nextLong());
                    case 2 -> f.booleanNode(r.nextBoolean());
                    case 3 -> f.nullNode();
                    case 4 -> f.arrayNode().add(value);
                    default -> f.objectNode().set("x", value);
                };
                case HUGE_STRING -> f.textNode((value.isTextual() ? value.textValue() : "x").repeat(1)
                        + "\u00e9\uD83D\uDE00 ".repeat(20_000 + r.nextInt(60_000)));
                case SURROGATES -> f.textNode(insert(value.isTextual() ? value.textValue() : value.toString(), r,
                        List.of("\uD800", "\uDC00", "\uDC00\uD800", "\uFFFF", "\u0000", "\uFEFF", "\u202E")));
                case DEEP_NESTING -> f.textNode(NEST);   // replaced in the text (a tree this deep cannot be written)
                case BAD_ENTITIES -> f.textNode(insert(value.isTextual() ? value.textValue() : value.toString(), r,
                        List.of("&#x80000000;", "&#99999999999;", "&#0;", "&#xD800;", "&bogus;", "&#x;", "&#", "&amp",
                                "<b><i>unclosed", "<a href=\"javascript:x\">", "&lt;script&gt;")));
                case EXTREME_NUMBERS -> switch (r.nextInt(5)) {
                    case 0 -> f.numberNode(new java.math.BigInteger("99999999999999999999999999"));
                    case 1 -> f.numberNode(-1L);
                    case 2 -> f.numberNode(Long.MAX_VALUE);
                    case 3 -> f.numberNode(Double.MAX_VALUE);
                    default -> f.numberNode(new java.math.BigDecimal("1e400"));
                };
                default -> value;
            };
        }

        private String text(String payload, Random r) {
            if (payload.isEmpty()) {
                return payload;
            }
            int at = r.nextInt(payload.length());
            return switch (this) {
                case TRUNCATE -> payload.substring(0, at);
                case HUGE_STRING -> payload.substring(0, at) + "x".repeat(100_000) + payload.substring(at);
                case SURROGATES -> payload.substring(0, at) + "\uD800" + payload.substring(at);
                case BAD_ENTITIES -> payload.substring(0, at) + List.of("&#x80000000;", "&#99999999999;", "&bogus;",
                        "&#xD800;", "<!ENTITY x \"y\">", "]]>", "&").get(r.nextInt(7)) + payload.substring(at);
                case DEEP_NESTING -> payload.substring(0, at) + "<a>".repeat(500) + "x" + "</a>".repeat(500)
                        + payload.substring(at);
                default -> payload.substring(0, at) + (char) r.nextInt(0x3000) + payload.substring(at);
            };
        }

        private static String insert(String s, Random r, List<String> bits) {
            int at = s.isEmpty() ? 0 : r.nextInt(s.length() + 1);
            return s.substring(0, at) + bits.get(r.nextInt(bits.size())) + s.substring(at);
        }

        private static void collect(JsonNode node, List<JsonNode> out) {
            if (node.isContainerNode()) {
                out.add(node);
                for (Iterator<JsonNode> it = node.elements(); it.hasNext(); ) {
                    collect(it.next(), out);
                }
            }
        }
    }

    @Provide
    Arbitrary<Case> cases() {
        List<ChannelMapper> mappers = new ArrayList<>(MAPPERS.keySet());
        return Arbitraries.of(mappers).flatMap(mapper -> Combinators.combine(
                Arbitraries.of(SEEDS.get(mapper.channel())),
                Arbitraries.of(Mutation.class).list().ofMinSize(1).ofMaxSize(3),
                Arbitraries.longs()).as((seed, mutations, random) -> new Case(mapper, seed, mutations, random)));
    }

    @Property(tries = 1000, seed = "18")
    void everyMutatedPayloadIsMappedOrRefusedWithAReason(@ForAll("cases") Case c) {
        String channel = c.mapper().channel();
        String payload = c.payload();
        TRIED.computeIfAbsent(channel, k -> new AtomicLong()).incrementAndGet();
        MappedPayload mapped;
        try {
            mapped = c.mapper().mapPayload(payload);
        } catch (InvalidMentionException refused) {
            assertThat(refused.getMessage()).as("the reason a payload is refused").isNotBlank();
            REFUSED.computeIfAbsent(channel, k -> new AtomicLong()).incrementAndGet();
            return;
        }
        for (Mention m : mapped.mentions()) {
            assertThat(MentionValidator.validate(m)).as("a mapped mention passes the validator").isEqualTo(m);
        }
        for (MappedPayload.Rejection r : mapped.rejections()) {
            assertThat(r.reason()).as("a rejection's reason").isNotBlank();
            assertThat(r.item()).as("a rejection keeps its item for the DLQ").isNotNull();
        }
        MAPPED.computeIfAbsent(channel, k -> new AtomicLong()).addAndGet(mapped.mentions().size());
        REJECTED.computeIfAbsent(channel, k -> new AtomicLong()).addAndGet(mapped.rejections().size());
    }

    // --- the canonical validator, fed arbitrary field values ---

    @Provide
    Arbitrary<Mention> mentions() {
        Arbitrary<String> strings = Arbitraries.oneOf(Arbitraries.strings().all().ofMaxLength(40),
                Arbitraries.strings().withChars('\uD800', '\uDC00', 'a', ':', ' ').ofMaxLength(10),
                Arbitraries.strings().ofLength(513), Arbitraries.strings().ofMinLength(600).ofMaxLength(700),
                Arbitraries.just(null), Arbitraries.just(""), Arbitraries.just("x"));
        Arbitrary<Double> doubles = Arbitraries.oneOf(Arbitraries.doubles(), Arbitraries.just(null),
                Arbitraries.just(Double.NaN), Arbitraries.just(Double.POSITIVE_INFINITY));
        Arbitrary<Integer> ints = Arbitraries.oneOf(Arbitraries.integers(), Arbitraries.just(null));
        Arbitrary<Instant> instants = Arbitraries.oneOf(Arbitraries.just(null), Arbitraries.just(Instant.MIN),
                Arbitraries.just(Instant.MAX), Arbitraries.just(Instant.EPOCH));
        Arbitrary<String> channels = Arbitraries.oneOf(Arbitraries.of("x", "bluesky", "forum", "x-activity"), strings);
        Arbitrary<String> nativeIds = Arbitraries.oneOf(Arbitraries.strings().numeric().ofMinLength(1).ofMaxLength(20),
                Arbitraries.strings().alpha().ofMinLength(500).ofMaxLength(520), strings);
        return Combinators.combine(strings, channels, nativeIds, strings, strings, Arbitraries.<String>just(null), doubles, ints)
                .as((schema, channel, nativeId, text, conversation, id, sentiment, influence) -> new Mention(
                        schema == null || schema.length() % 3 != 0 ? null : schema, id, channel, nativeId, null,
                        MentionKind.POST, text, null, Instant.EPOCH, null, null, null, null, null, conversation,
                        conversation, conversation, sentiment, null, influence, null))
                .flatMap(m -> instants.map(at -> m.toBuilder().createdAt(at).build()));
    }

    @Property(tries = 1000, seed = "18")
    void theValidatorAcceptsOrRefusesWithAReasonAndAcceptsOnlyWhatTheStateDatabaseCanKeep(@ForAll("mentions") Mention m) {
        TRIED.computeIfAbsent("validator", k -> new AtomicLong()).incrementAndGet();
        Mention valid;
        try {
            valid = MentionValidator.validate(m);
        } catch (InvalidMentionException refused) {
            assertThat(refused.getMessage()).isNotBlank();
            REFUSED.computeIfAbsent("validator", k -> new AtomicLong()).incrementAndGet();
            return;
        }
        assertThat(valid.id()).hasSizeLessThanOrEqualTo(MentionValidator.MAX_ID);
        assertThat(valid.channel()).hasSizeLessThanOrEqualTo(32);
        if (valid.conversationId() != null) {
            assertThat(valid.conversationId()).hasSizeLessThanOrEqualTo(MentionValidator.MAX_ID);
        }
        assertThat(MentionValidator.validate(valid)).as("idempotent").isEqualTo(valid);
        MAPPED.computeIfAbsent("validator", k -> new AtomicLong()).incrementAndGet();
    }

    @AfterContainer
    static void printInputsTried() {
        StringBuilder b = new StringBuilder("\nFuzzing (MapperFuzzTest): inputs tried per mapper\n");
        b.append(String.format("%-12s %6s %6s %9s %9s %9s%n", "mapper", "seeds", "tried", "refused", "mentions", "rejected"));
        for (String channel : new TreeMap<>(TRIED).keySet()) {
            b.append(String.format("%-12s %6d %6d %9d %9d %9d%n", channel,
                    SEEDS.getOrDefault(channel, List.of()).size(), TRIED.get(channel).get(), count(REFUSED, channel),
                    count(MAPPED, channel), count(REJECTED, channel)));
        }
        System.out.println(b);
    }

    private static long count(Map<String, AtomicLong> m, String k) {
        AtomicLong v = m.get(k);
        return v == null ? 0 : v.get();
    }

    // --- seeds ---

    private static List<String> fixtures(String dir) {
        return Fixtures.list(dir).stream()
                .filter(p -> p.toString().endsWith(".json") || p.toString().endsWith(".xml") || p.toString().endsWith(".jsonl"))
                .filter(p -> !p.toString().endsWith(".expected.jsonl"))
                .filter(p -> !p.getFileName().toString().contains("billion_laughs")) // refused by the parser anyway
                .map(Fixtures::text).toList();
    }

    /** The recorded real payloads beside the repository (optional: absent on CI). Error bodies included. */
    private static List<String> references(String dir) {
        return Fixtures.referencePayloads(dir).stream().filter(p -> p.toString().endsWith(".json")).map(Fixtures::text).toList();
    }
}
