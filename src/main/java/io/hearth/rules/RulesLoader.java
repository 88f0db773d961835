package io.hearth.rules;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Reads and validates config/rules.yml. SnakeYAML composes the document (keeping every node's line and column),
 * Jackson binds it strictly (unknown fields, wrong types and bad dates fail), then {@link #validate} checks what binding
 * cannot (negative caps, dates in the wrong order, unknown rule references). Every failure is a {@link RulesException}
 * naming file, line, column and field.
 */
public final class RulesLoader {

    private static final Pattern KEY = Pattern.compile("[a-z0-9][a-z0-9-]{0,39}");
    private static final Set<String> INTENTS = Set.of("question", "complaint", "praise", "other");

    private final ObjectMapper mapper = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .setPropertyNamingStrategy(PropertyNamingStrategies.KEBAB_CASE)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT);

    public Rules load(Path file) {
        String name = display(file);
        try {
            return parse(name, Files.readString(file));
        } catch (IOException e) {
            throw new RulesException(name, 0, 0, null, "cannot read: " + e.getMessage());
        }
    }

    public Rules parse(String file, String yaml) {
        Map<String, Mark> marks = new HashMap<>();
        JsonNode tree;
        try (Reader reader = new StringReader(yaml)) {
            Node root = new Yaml(new LoaderOptions()).compose(reader);
            if (root == null) {
                return Rules.NONE;
            }
            tree = convert(file, root, "", marks);
        } catch (MarkedYAMLException e) {
            Mark m = e.getProblemMark();
            throw new RulesException(file, m == null ? 0 : m.getLine() + 1, m == null ? 0 : m.getColumn() + 1, null,
                    "malformed YAML: " + e.getProblem());
        } catch (IOException e) {
            throw new RulesException(file, 0, 0, null, e.getMessage());
        }
        if (!tree.isObject()) {
            throw error(file, marks, "", "the rules must be a mapping (programme:, advocates:, rewards:, ...)");
        }
        Rules rules;
        try {
            rules = mapper.treeToValue(tree, Rules.class);
        } catch (JsonMappingException e) {
            StringBuilder path = new StringBuilder();
            for (JsonMappingException.Reference r : e.getPath()) {
                if (r.getFieldName() != null) {
                    path.append(path.length() == 0 ? "" : ".").append(r.getFieldName());
                } else if (r.getIndex() >= 0) {
                    path.append('[').append(r.getIndex()).append(']');
                }
            }
            String problem;
            if (e instanceof UnrecognizedPropertyException u) {
                List<String> known = new ArrayList<>();
                if (u.getKnownPropertyIds() != null) {
                    u.getKnownPropertyIds().forEach(k -> known.add(String.valueOf(k)));
                }
                java.util.Collections.sort(known);
                problem = "unknown field '" + u.getPropertyName() + "' (known: " + String.join(", ", known) + ")";
            } else if (e instanceof InvalidFormatException f) {
                problem = "'" + f.getValue() + "' is not a valid " + describe(f.getTargetType());
            } else {
                problem = "wrong type of value (" + firstLine(e.getOriginalMessage()) + ")";
            }
            throw error(file, marks, path.toString(), problem);
        } catch (com.fasterxml.jackson.core.JsonProcessingException | IllegalArgumentException e) {
            throw error(file, marks, "", firstLine(e.getMessage()));
        }
        validate(file, marks, rules);
        return rules;
    }

    // --- semantic checks ------------------------------------------------------------------------------------------

    private static void validate(String file, Map<String, Mark> marks, Rules rules) {
        if (rules.advocates() != null) {
            Rules.Advocates a = rules.advocates();
            if (a.windowDays() < 1 || a.windowDays() > 3650) {
                throw error(file, marks, "advocates.window-days", "must be 1..3650, was " + a.windowDays());
            }
            Set<String> names = new HashSet<>();
            for (int i = 0; i < a.tiers().size(); i++) {
                Rules.Tier t = a.tiers().get(i);
                String p = "advocates.tiers[" + i + "]";
                if (t.name() == null || t.name().isBlank() || t.name().length() > 40) {
                    throw error(file, marks, p + ".name", "is required (1..40 characters)");
                }
                if (!names.add(t.name())) {
                    throw error(file, marks, p + ".name", "tier '" + t.name() + "' is listed twice");
                }
                if (t.enter() == null) {
                    throw error(file, marks, p + ".enter", "is required (positive-mentions, average-sentiment, influence)");
                }
                thresholds(file, marks, p + ".enter", t.enter());
                if (t.leave() != null) {
                    thresholds(file, marks, p + ".leave", t.leave());
                    hysteresis(file, marks, p, "positive-mentions", t.enter().positiveMentions(), t.leave().positiveMentions());
                    hysteresis(file, marks, p, "average-sentiment", t.enter().averageSentiment(), t.leave().averageSentiment());
                    hysteresis(file, marks, p, "influence", t.enter().influence(), t.leave().influence());
                }
            }
        }
        Set<String> items = catalogue(file, marks, rules.catalogue());
        Set<String> keys = new HashSet<>();
        for (int i = 0; i < rules.rewards().size(); i++) {
            Rules.Reward r = rules.rewards().get(i);
            String p = "rewards[" + i + "]";
            if (r.key() == null || !KEY.matcher(r.key()).matches()) {
                throw error(file, marks, p + ".key", "is required: lower-case letters, digits and dashes, at most 40");
            }
            if (!keys.add(r.key())) {
                throw error(file, marks, p + ".key", "reward '" + r.key() + "' is listed twice");
            }
            if (r.action() == null) {
                throw error(file, marks, p + ".action", "is required (mention, share, answer, hashtag, challenge, any)");
            }
            if (r.item() == null && (r.points() == null) == (r.draw() == null)) {
                throw error(file, marks, p, "needs exactly one of points: or draw:");
            }
            if (r.item() != null) {
                if (r.points() != null && r.draw() != null) {
                    throw error(file, marks, p, "needs at most one of points: or draw: with item:");
                }
                itemGrant(file, marks, p + ".item", r.item(), items);
            }
            if (new HashSet<>(r.triggers()).size() != r.triggers().size()) {
                throw error(file, marks, p + ".triggers", "lists a trigger twice: " + r.triggers());
            }
            if (r.points() != null && r.points() < 0) {
                throw error(file, marks, p + ".points", "must not be negative, was " + r.points());
            }
            if (r.draw() != null) {
                Rules.Draw d = r.draw();
                if (d.min() == null || d.min() < 0) {
                    throw error(file, marks, p + ".draw.min", "is required and must not be negative");
                }
                if (d.max() == null || d.max() < d.min()) {
                    throw error(file, marks, p + ".draw.max", "is required and must be at least draw.min");
                }
                if (d.seed() == null || d.seed().isBlank()) {
                    throw error(file, marks, p + ".draw.seed", "is required (it makes every draw reproducible)");
                }
            }
            if (r.cap() != null) {
                if (r.cap().perDay() != null && r.cap().perDay() < 0) {
                    throw error(file, marks, p + ".cap.per-day", "must not be negative, was " + r.cap().perDay());
                }
                if (r.cap().perMonth() != null && r.cap().perMonth() < 0) {
                    throw error(file, marks, p + ".cap.per-month", "must not be negative, was " + r.cap().perMonth());
                }
            }
            if (r.withinDays() != null && (r.withinDays() < 1 || r.withinDays() > 3650)) {
                throw error(file, marks, p + ".within-days", "must be 1..3650, was " + r.withinDays());
            }
            if (r.from() != null && r.until() != null && r.until().isBefore(r.from())) {
                throw error(file, marks, p + ".until", "is before from (" + r.from() + ")");
            }
            if (r.action() == Rules.Action.hashtag && r.hashtags().isEmpty()) {
                throw error(file, marks, p + ".hashtags", "is required for action hashtag");
            }
            if (r.action() == Rules.Action.challenge) {
                Rules.Challenge c = r.challenge();
                if (c == null) {
                    throw error(file, marks, p + ".challenge", "is required for action challenge (hashtag, answers, winners)");
                }
                if (c.hashtag() == null || c.hashtag().isBlank()) {
                    throw error(file, marks, p + ".challenge.hashtag", "is required");
                }
                if (c.answers().isEmpty()) {
                    throw error(file, marks, p + ".challenge.answers", "needs at least one accepted answer");
                }
                if (c.winners() == null || c.winners() < 1) {
                    throw error(file, marks, p + ".challenge.winners", "must be at least 1");
                }
            } else if (r.challenge() != null) {
                throw error(file, marks, p + ".challenge", "only for action challenge");
            }
        }
        for (int i = 0; i < rules.badges().size(); i++) {
            Rules.Badge b = rules.badges().get(i);
            String p = "badges[" + i + "]";
            if (b.name() == null || b.name().isBlank() || b.name().length() > 80) {
                throw error(file, marks, p + ".name", "is required (1..80 characters)");
            }
            if ((b.atPoints() == null) == (b.atCount() == null)) {
                throw error(file, marks, p, "needs exactly one of at-points: or at-count: (with rule:)");
            }
            if (b.atPoints() != null && b.atPoints() < 1) {
                throw error(file, marks, p + ".at-points", "must be at least 1");
            }
            if (b.atCount() != null) {
                if (b.atCount() < 1) {
                    throw error(file, marks, p + ".at-count", "must be at least 1");
                }
                if (b.rule() == null || !keys.contains(b.rule())) {
                    throw error(file, marks, p + ".rule", "must name a reward key (" + String.join(", ", keys) + ")");
                }
            }
        }
        Set<String> boards = new HashSet<>();
        for (int i = 0; i < rules.leaderboards().size(); i++) {
            Rules.Leaderboard l = rules.leaderboards().get(i);
            String p = "leaderboards[" + i + "]";
            if (l.key() == null || !KEY.matcher(l.key()).matches()) {
                throw error(file, marks, p + ".key", "is required: lower-case letters, digits and dashes, at most 40");
            }
            if (!boards.add(l.key())) {
                throw error(file, marks, p + ".key", "leaderboard '" + l.key() + "' is listed twice");
            }
            for (int j = 0; j < l.rules().size(); j++) {
                if (!keys.contains(l.rules().get(j))) {
                    throw error(file, marks, p + ".rules[" + j + "]", "no reward '" + l.rules().get(j) + "'");
                }
            }
            if (l.leaderPoints() != null && l.leaderPoints() < 0) {
                throw error(file, marks, p + ".leader-points", "must not be negative, was " + l.leaderPoints());
            }
        }
        if (rules.cases() != null) {
            Rules.Cases c = rules.cases();
            for (int i = 0; i < c.intents().size(); i++) {
                if (!INTENTS.contains(c.intents().get(i))) {
                    throw error(file, marks, "cases.intents[" + i + "]", "'" + c.intents().get(i)
                            + "' is not an intent (question, complaint, praise, other)");
                }
            }
            if (c.minInfluence() != null && (c.minInfluence() < 0 || c.minInfluence() > 100)) {
                throw error(file, marks, "cases.min-influence", "must be 0..100, was " + c.minInfluence());
            }
            if (c.who() == Rules.Who.anyone && c.minInfluence() == null) {
                throw error(file, marks, "cases.min-influence", "is required with who: anyone");
            }
            if (c.joinAuthorWithinHours() < 0) {
                throw error(file, marks, "cases.join-author-within-hours", "must not be negative");
            }
        }
    }

    /** The reward catalogue: keys, stock, limits and windows. Returns the item keys. */
    private static Set<String> catalogue(String file, Map<String, Mark> marks, List<Rules.CatalogueItem> catalogue) {
        Set<String> items = new java.util.LinkedHashSet<>();
        for (int i = 0; i < catalogue.size(); i++) {
            Rules.CatalogueItem c = catalogue.get(i);
            String p = "catalogue[" + i + "]";
            if (c.key() == null || !KEY.matcher(c.key()).matches()) {
                throw error(file, marks, p + ".key", "is required: lower-case letters, digits and dashes, at most 40");
            }
            if (!items.add(c.key())) {
                throw error(file, marks, p + ".key", "item '" + c.key() + "' is listed twice");
            }
            if (c.name() != null && (c.name().isBlank() || c.name().length() > 80)) {
                throw error(file, marks, p + ".name", "must be 1..80 characters");
            }
            for (int j = 0; j < c.interests().size(); j++) {
                String t = c.interests().get(j);
                if (t == null || CatalogueChooser.tag(t).isBlank()) {
                    throw error(file, marks, p + ".interests[" + j + "]", "must not be empty");
                }
            }
            if (c.stock() != null && c.stock() < 0) {
                throw error(file, marks, p + ".stock", "must not be negative, was " + c.stock());
            }
            if (c.perContact() < 1) {
                throw error(file, marks, p + ".per-contact", "must be at least 1, was " + c.perContact());
            }
            if (c.from() != null && c.until() != null && c.until().isBefore(c.from())) {
                throw error(file, marks, p + ".until", "is before from (" + c.from() + ")");
            }
        }
        return items;
    }

    private static void itemGrant(String file, Map<String, Mark> marks, String p, Rules.ItemGrant item, Set<String> items) {
        if (items.isEmpty()) {
            throw error(file, marks, p, "needs a catalogue: (no items are defined)");
        }
        for (int j = 0; j < item.from().size(); j++) {
            if (!items.contains(item.from().get(j))) {
                throw error(file, marks, p + ".from[" + j + "]", "no catalogue item '" + item.from().get(j) + "' (items: "
                        + String.join(", ", items) + ")");
            }
        }
        if (item.fallback() != null) {
            if (!items.contains(item.fallback())) {
                throw error(file, marks, p + ".fallback", "no catalogue item '" + item.fallback() + "' (items: "
                        + String.join(", ", items) + ")");
            }
            if (!item.from().isEmpty() && !item.from().contains(item.fallback())) {
                throw error(file, marks, p + ".fallback", "must be one of from (" + String.join(", ", item.from()) + ")");
            }
        }
    }

    private static void thresholds(String file, Map<String, Mark> marks, String p, Rules.Thresholds t) {
        if (t.positiveMentions() != null && t.positiveMentions() < 0) {
            throw error(file, marks, p + ".positive-mentions", "must not be negative, was " + t.positiveMentions());
        }
        if (t.averageSentiment() != null && (t.averageSentiment() < -1 || t.averageSentiment() > 1)) {
            throw error(file, marks, p + ".average-sentiment", "must be -1..1, was " + t.averageSentiment());
        }
        if (t.influence() != null && (t.influence() < 0 || t.influence() > 100)) {
            throw error(file, marks, p + ".influence", "must be 0..100, was " + t.influence());
        }
    }

    private static <T extends Comparable<T>> void hysteresis(String file, Map<String, Mark> marks, String p, String field,
                                                             T enter, T leave) {
        if (leave != null && enter != null && leave.compareTo(enter) > 0) {
            throw error(file, marks, p + ".leave." + field, "must not be above enter." + field + " (" + enter
                    + "): the leave threshold is the lower one");
        }
        if (leave != null && enter == null) {
            throw error(file, marks, p + ".leave." + field, "has no enter." + field);
        }
    }

    // --- YAML → tree, with positions ------------------------------------------------------------------------------

    private static JsonNode convert(String file, Node node, String path, Map<String, Mark> marks) {
        marks.putIfAbsent(path, node.getStartMark());
        JsonNodeFactory f = JsonNodeFactory.instance;
        if (node instanceof MappingNode m) {
            ObjectNode o = f.objectNode();
            for (NodeTuple t : m.getValue()) {
                if (!(t.getKeyNode() instanceof ScalarNode k)) {
                    throw at(file, t.getKeyNode().getStartMark(), path, "keys must be plain words");
                }
                String child = path.isEmpty() ? k.getValue() : path + "." + k.getValue();
                if (o.has(k.getValue())) {
                    throw at(file, k.getStartMark(), child, "listed twice");
                }
                marks.put(child, k.getStartMark());
                o.set(k.getValue(), convert(file, t.getValueNode(), child, marks));
            }
            return o;
        }
        if (node instanceof SequenceNode s) {
            ArrayNode a = f.arrayNode();
            int i = 0;
            for (Node item : s.getValue()) {
                a.add(convert(file, item, path + "[" + i++ + "]", marks));
            }
            return a;
        }
        ScalarNode s = (ScalarNode) node;
        String v = s.getValue();
        Tag tag = s.getTag();
        try {
            if (Tag.NULL.equals(tag)) {
                return f.nullNode();
            }
            if (Tag.BOOL.equals(tag)) {
                return f.booleanNode(v.equalsIgnoreCase("true") || v.equalsIgnoreCase("yes") || v.equalsIgnoreCase("on"));
            }
            if (Tag.INT.equals(tag)) {
                return f.numberNode(new BigInteger(v.replace("_", "")).longValueExact());
            }
            if (Tag.FLOAT.equals(tag)) {
                return f.numberNode(new BigDecimal(v.replace("_", "")).doubleValue());
            }
        } catch (ArithmeticException | NumberFormatException e) {
            return f.textNode(v);
        }
        return f.textNode(v);
    }

    private static RulesException error(String file, Map<String, Mark> marks, String path, String problem) {
        String p = path;
        Mark m = marks.get(p);
        while (m == null && !p.isEmpty()) {
            int cut = Math.max(p.lastIndexOf('.'), p.lastIndexOf('['));
            p = cut < 0 ? "" : p.substring(0, cut);
            m = marks.get(p);
        }
        return at(file, m, path, problem);
    }

    private static RulesException at(String file, Mark m, String path, String problem) {
        return new RulesException(file, m == null ? 0 : m.getLine() + 1, m == null ? 0 : m.getColumn() + 1, path, problem);
    }

    private static String describe(Class<?> type) {
        if (type == java.time.LocalDate.class) {
            return "date (YYYY-MM-DD)";
        }
        if (type.isEnum()) {
            List<String> names = new ArrayList<>();
            for (Object c : type.getEnumConstants()) {
                names.add(c.toString());
            }
            return "value (one of " + String.join(", ", names) + ")";
        }
        return type.getSimpleName().toLowerCase(java.util.Locale.ROOT);
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return (nl < 0 ? s : s.substring(0, nl)).strip();
    }

    static String display(Path file) {
        Path abs = file.toAbsolutePath().normalize();
        Path wd = Path.of("").toAbsolutePath();
        return abs.startsWith(wd) ? wd.relativize(abs).toString() : abs.toString();
    }

}
