package io.hearth.sandbox;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.hearth.sandbox.RecordStore.Stored;
import io.hearth.sandbox.SandboxSchema.Field;
import io.hearth.sandbox.SandboxSchema.FieldType;
import io.hearth.sandbox.SandboxSchema.SObjectType;
import io.hearth.sandbox.soql.SoqlException;
import io.hearth.sandbox.soql.SoqlParser;
import io.hearth.sandbox.soql.SoqlQuery;
import io.hearth.sandbox.soql.SoqlQuery.Condition;
import io.hearth.sandbox.soql.SoqlQuery.FieldRef;
import io.hearth.sandbox.soql.SoqlQuery.Literal;
import io.hearth.sandbox.soql.Token;

/**
 * Runs a parsed SOQL query over the org's records: checks every field path against the schema (INVALID_FIELD,
 * INVALID_TYPE as Salesforce words them), filters, sorts, applies LIMIT/OFFSET and shapes records like the REST API
 * ({@code attributes}, selected fields in order, parent relationships as nested objects).
 */
final class SoqlEngine {

    /** The answer: every matching record (the server pages them) or, for COUNT(), only the count. */
    record Result(int totalSize, List<ObjectNode> records) {
    }

    /** A resolved field path: the field, and the lookup it is reached through (null for the object's own fields). */
    private record Path(Field lookup, SObjectType parentType, Field field) {
    }

    private final SandboxOrg org;

    SoqlEngine(SandboxOrg org) {
        this.org = org;
    }

    Result run(String soql, String version) {
        return run(soql, version, false);
    }

    /** {@code withDeleted}: queryAll, which also sees the records in the Recycle Bin (IsDeleted = true). */
    Result run(String soql, String version, boolean withDeleted) {
        SoqlQuery query = SoqlParser.parse(soql);
        SObjectType type = org.schema.object(query.from());
        IntegrationAccess access = org.access();
        if (type == null || (access != null && !access.object(type.name).read())) {
            throw SoqlException.at("INVALID_TYPE", soql, query.fromOffset(), "sObject type '" + query.from() + "' is not supported."
                    + " If you are attempting to use a custom object, be sure to append the '__c' after the entity name."
                    + " Please reference your WSDL or the describe call for the appropriate names.");
        }
        Map<FieldRef, Path> paths = new LinkedHashMap<>();
        for (FieldRef f : query.fields()) {
            paths.put(f, resolve(soql, type, f));
        }
        for (SoqlQuery.Order o : query.orderBy()) {
            paths.putIfAbsent(o.field(), resolve(soql, type, o.field()));
        }
        if (query.where() != null) {
            check(soql, type, query.where());
        }
        org.lock.lock();
        try {
            List<Stored> matches = new ArrayList<>();
            for (Stored s : org.records(type, withDeleted)) {
                if (query.where() == null || matches(soql, type, s, query.where())) {
                    matches.add(s);
                }
            }
            if (!query.orderBy().isEmpty()) {
                Comparator<Stored> order = null;
                for (SoqlQuery.Order o : query.orderBy()) {
                    Path p = paths.get(o.field());
                    Comparator<Stored> c = (a, b) -> compareForOrder(value(a, p), value(b, p), p.field(), o);
                    order = order == null ? c : order.thenComparing(c);
                }
                matches.sort(order);
            }
            int from = query.offset() == null ? 0 : Math.min(query.offset(), matches.size());
            int to = query.limit() == null ? matches.size() : Math.min(matches.size(), from + query.limit());
            List<Stored> page = matches.subList(from, to);
            if (query.count()) {
                return new Result(page.size(), List.of());
            }
            List<ObjectNode> records = new ArrayList<>(page.size());
            for (Stored s : page) {
                records.add(shape(s, type, query.fields(), paths, version));
            }
            return new Result(records.size(), records);
        } finally {
            org.lock.unlock();
        }
    }

    private Path resolve(String soql, SObjectType type, FieldRef ref) {
        List<String> parts = ref.path();
        List<String> path = parts;
        if (parts.size() > 1 && parts.get(0).equalsIgnoreCase(type.name)) {
            path = parts.subList(1, parts.size()); // "Contact.Name" on Contact
        }
        if (path.size() == 1) {
            Field f = type.field(path.get(0));
            IntegrationAccess access = org.access();
            if (f == null || (access != null && !access.readable(type, f))) {
                throw SoqlException.at("INVALID_FIELD", soql, ref.offset(), "No such column '" + path.get(0) + "' on entity '" + type.name
                        + "'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name."
                        + " Please reference your WSDL or the describe call for the appropriate names.");
            }
            return new Path(null, null, f);
        }
        if (path.size() == 2) {
            Field lookup = type.relationship(path.get(0));
            if (lookup == null) {
                throw SoqlException.at("INVALID_FIELD", soql, ref.offset(), "Didn't understand relationship '" + path.get(0)
                        + "' in field path. If you are attempting to use a custom relationship, be sure to append the '__r' after the"
                        + " custom relationship name. Please reference your WSDL or the describe call for the appropriate names.");
            }
            SObjectType parent = org.schema.object(lookup.referenceTo());
            Field f = parent.field(path.get(1));
            IntegrationAccess access = org.access();
            if (access != null && (!access.readable(type, lookup) || !access.object(parent.name).read())) {
                throw SoqlException.at("INVALID_FIELD", soql, ref.offset(), "Didn't understand relationship '" + path.get(0)
                        + "' in field path. If you are attempting to use a custom relationship, be sure to append the '__r' after the"
                        + " custom relationship name. Please reference your WSDL or the describe call for the appropriate names.");
            }
            if (f == null || (access != null && !access.readable(parent, f))) {
                throw SoqlException.at("INVALID_FIELD", soql, ref.offset(), "No such column '" + path.get(1) + "' on entity '" + parent.name
                        + "'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name."
                        + " Please reference your WSDL or the describe call for the appropriate names.");
            }
            return new Path(lookup, parent, f);
        }
        throw SoqlException.at("MALFORMED_QUERY", soql, ref.offset(), "the sandbox supports one relationship level ('"
                + ref.text() + "')");
    }

    /** Validates field paths and literal types in the WHERE clause before any record is read. */
    private void check(String soql, SObjectType type, Condition c) {
        if (c instanceof SoqlQuery.And a) {
            a.terms().forEach(t -> check(soql, type, t));
        } else if (c instanceof SoqlQuery.Or o) {
            o.terms().forEach(t -> check(soql, type, t));
        } else if (c instanceof SoqlQuery.Not n) {
            check(soql, type, n.term());
        } else if (c instanceof SoqlQuery.Comparison cmp) {
            Path p = resolve(soql, type, cmp.field());
            checkLiteral(soql, p.field(), cmp.value(), cmp.op());
        } else if (c instanceof SoqlQuery.In in) {
            Path p = resolve(soql, type, in.field());
            in.values().forEach(v -> checkLiteral(soql, p.field(), v, "="));
        } else if (c instanceof SoqlQuery.Like like) {
            Path p = resolve(soql, type, like.field());
            if (!p.field().isText() && p.field().type() != FieldType.ID && p.field().type() != FieldType.REFERENCE) {
                throw SoqlException.at("INVALID_FIELD", soql, like.field().offset(), "invalid operator on field: " + p.field().name());
            }
        }
    }

    private static void checkLiteral(String soql, Field field, Literal literal, String op) {
        if (literal.value() == null && literal.kind() == Token.Kind.IDENT) {
            if (!op.equals("=") && !op.equals("!=")) {
                throw SoqlException.at("MALFORMED_QUERY", soql, literal.offset(), "unexpected token: 'null'");
            }
            return;
        }
        String expected = switch (field.type()) {
            case NUMBER -> literal.kind() == Token.Kind.NUMBER ? null : "number and should not be enclosed in quotes";
            case CHECKBOX -> literal.value() instanceof Boolean ? null : "boolean and should not be enclosed in quotes";
            case DATE -> literal.kind() == Token.Kind.DATE ? null : "date and should not be enclosed in quotes";
            case DATETIME -> literal.kind() == Token.Kind.DATETIME ? null : "dateTime and should not be enclosed in quotes";
            default -> literal.kind() == Token.Kind.STRING ? null : "string and should be enclosed in quotes";
        };
        if (expected != null) {
            throw SoqlException.at("INVALID_FIELD", soql, literal.offset(), "value of filter criterion for field '" + field.name()
                    + "' must be of type " + expected);
        }
        if ((op.startsWith("<") || op.startsWith(">")) && field.type() == FieldType.CHECKBOX) {
            throw SoqlException.at("INVALID_FIELD", soql, literal.offset(), "invalid operator on field: " + field.name());
        }
    }

    private JsonNode value(Stored s, Path p) {
        if (p.lookup() == null) {
            return s.fields().get(p.field().name());
        }
        JsonNode parentId = s.fields().get(p.lookup().name());
        if (parentId == null || parentId.isNull()) {
            return null;
        }
        Stored parent = org.store.get(parentId.asText());
        return parent == null ? null : parent.fields().get(p.field().name());
    }

    private boolean matches(String soql, SObjectType type, Stored s, Condition c) {
        if (c instanceof SoqlQuery.And a) {
            return a.terms().stream().allMatch(t -> matches(soql, type, s, t));
        } else if (c instanceof SoqlQuery.Or o) {
            return o.terms().stream().anyMatch(t -> matches(soql, type, s, t));
        } else if (c instanceof SoqlQuery.Not n) {
            return !matches(soql, type, s, n.term());
        } else if (c instanceof SoqlQuery.Comparison cmp) {
            Path p = resolve(soql, type, cmp.field());
            return compare(value(s, p), p.field(), cmp.op(), cmp.value());
        } else if (c instanceof SoqlQuery.In in) {
            Path p = resolve(soql, type, in.field());
            JsonNode v = value(s, p);
            boolean any = in.values().stream().anyMatch(l -> compare(v, p.field(), "=", l));
            return in.negated() != any;
        } else if (c instanceof SoqlQuery.Like like) {
            Path p = resolve(soql, type, like.field());
            JsonNode v = value(s, p);
            return v != null && !v.isNull() && likePattern((String) like.pattern().value()).matcher(v.asText()).matches();
        }
        throw new IllegalStateException("unknown condition " + c);
    }

    static Pattern likePattern(String like) {
        StringBuilder regex = new StringBuilder();
        for (int i = 0; i < like.length(); i++) {
            char c = like.charAt(i);
            if (c == '\\' && i + 1 < like.length() && (like.charAt(i + 1) == '%' || like.charAt(i + 1) == '_')) {
                regex.append(Pattern.quote(String.valueOf(like.charAt(++i))));
            } else if (c == '%') {
                regex.append(".*");
            } else if (c == '_') {
                regex.append('.');
            } else {
                regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(regex.toString(), Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE | Pattern.DOTALL);
    }

    /** SOQL semantics: text compares case-insensitively; anything compared with a null value is false except = null / != null. */
    private static boolean compare(JsonNode recordValue, Field field, String op, Literal literal) {
        boolean isNull = recordValue == null || recordValue.isNull();
        if (literal.value() == null) {
            return op.equals("=") ? isNull : !isNull;
        }
        if (isNull) {
            return op.equals("!=");
        }
        int cmp = compareValues(recordValue, field, literal.value());
        return switch (op) {
            case "=" -> cmp == 0;
            case "!=" -> cmp != 0;
            case "<" -> cmp < 0;
            case "<=" -> cmp <= 0;
            case ">" -> cmp > 0;
            case ">=" -> cmp >= 0;
            default -> false;
        };
    }

    private static int compareValues(JsonNode recordValue, Field field, Object literal) {
        return switch (field.type()) {
            case NUMBER -> recordValue.decimalValue().compareTo((BigDecimal) literal);
            case CHECKBOX -> Boolean.compare(recordValue.asBoolean(), (Boolean) literal);
            case DATE -> LocalDate.parse(recordValue.asText()).compareTo((LocalDate) literal);
            case DATETIME -> SandboxOrg.parseDateTime(recordValue.asText()).compareTo((Instant) literal);
            case ID, REFERENCE -> {
                String id = SalesforceIds.normalise((String) literal);
                yield recordValue.asText().compareTo(id == null ? (String) literal : id);
            }
            default -> recordValue.asText().toLowerCase(Locale.ROOT).compareTo(((String) literal).toLowerCase(Locale.ROOT));
        };
    }

    private static int compareForOrder(JsonNode a, JsonNode b, Field field, SoqlQuery.Order o) {
        boolean an = a == null || a.isNull();
        boolean bn = b == null || b.isNull();
        if (an || bn) {
            if (an && bn) {
                return 0;
            }
            return (an ? -1 : 1) * (o.nullsFirst() ? 1 : -1);
        }
        Object bv = switch (field.type()) {
            case NUMBER -> b.decimalValue();
            case CHECKBOX -> b.asBoolean();
            case DATE -> LocalDate.parse(b.asText());
            case DATETIME -> SandboxOrg.parseDateTime(b.asText());
            default -> b.asText();
        };
        int c = compareValues(a, field, bv);
        return o.descending() ? -c : c;
    }

    private ObjectNode shape(Stored s, SObjectType type, List<FieldRef> fields, Map<FieldRef, Path> paths, String version) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        ObjectNode out = f.objectNode();
        out.set("attributes", SandboxOrg.attributes(type.name, s.id(), version));
        for (FieldRef ref : fields) {
            Path p = paths.get(ref);
            if (p.lookup() == null) {
                JsonNode v = s.fields().get(p.field().name());
                out.set(p.field().name(), v == null ? f.nullNode() : v);
                continue;
            }
            String relationship = p.lookup().relationshipName();
            if (out.has(relationship) && out.get(relationship).isNull()) {
                continue;
            }
            JsonNode parentId = s.fields().get(p.lookup().name());
            Stored parent = parentId == null || parentId.isNull() ? null : org.store.get(parentId.asText());
            if (parent == null) {
                out.set(relationship, f.nullNode());
                continue;
            }
            ObjectNode nested = (ObjectNode) out.get(relationship);
            if (nested == null) {
                nested = out.putObject(relationship);
                nested.set("attributes", SandboxOrg.attributes(p.parentType().name, parent.id(), version));
            }
            JsonNode v = parent.fields().get(p.field().name());
            nested.set(p.field().name(), v == null ? f.nullNode() : v);
        }
        return out;
    }
}
