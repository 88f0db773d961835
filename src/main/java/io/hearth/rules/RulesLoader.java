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
import java.util.List;
import java.util.Map;

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
 * Jackson binds it strictly (unknown fields, wrong types and bad dates fail), then {@link RulesValidator} checks what binding
 * cannot (negative caps, dates in the wrong order, unknown rule references). Every failure is a {@link RulesException}
 * naming file, line, column and field.
 */
public final class RulesLoader {

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
        RulesValidator.validate(file, marks, rules);
        return rules;
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

    static RulesException error(String file, Map<String, Mark> marks, String path, String problem) {
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
