package io.rollingmigration.connect.common.spec;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rollingmigration.connect.common.lineage.SourceKey;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.apache.kafka.connect.errors.DataException;

/**
 * One aggregate's reverse rules, compiled: turns a row of the service's store (the aggregate's fields, as the
 * service changed it) into the write of the legacy row it stands for. The rules the forward spec implies are
 * derived (a column copied into a field is copied back, a value map is inverted when it can be), the others are
 * declared under {@code writeback}; a legacy column the forward spec reads but the write-back could not fill is a
 * {@link SpecException} at validation, so no legacy column is ever left to chance. Expressions see the service's row
 * as {@code after} and {@code before}, typed by the aggregate's fields.
 */
public final class WritebackTranslator {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String rule;
    private final String path;
    private final String table;
    private final String keyField;
    private final String ownershipField;
    private final List<String> keyColumns;
    /** The lineage source key's names (canonical) to this table's key columns. */
    private final Map<String, String> keyColumnOfName;
    /** The forward key is a column a transform added (MapId); the legacy key is what writeback.key names. */
    private final boolean keyMadeByTransform;

    private final Map<String, ColumnWrite> keyRules;
    private final Map<String, ColumnWrite> columns;
    private final String versionColumn;
    private final LegacyColumns legacyColumns;
    private final Expressions expressions;
    private final boolean needsBindings;

    WritebackTranslator(
            MappingSpec spec, AggregateSpec aggregate, List<String> keyColumns, LegacyColumns legacyColumns) {
        WritebackSpec writeback = aggregate.writeback;
        this.rule = spec.rule();
        this.path = writeback.path;
        this.table = writeback.table != null ? writeback.table : spec.source();
        this.keyField = aggregate.key.field;
        this.ownershipField = aggregate.ownershipField;
        // A key taken from a column that a transform put in the row (MapId's looked-up id) is no legacy key: then
        // writeback.key names the legacy key columns.
        this.keyMadeByTransform = aggregate.key.column != null
                && !writeback.key.isEmpty()
                && !writeback.key.containsKey(aggregate.key.column);
        this.keyColumns = keyMadeByTransform ? List.copyOf(writeback.key.keySet()) : List.copyOf(keyColumns);
        this.legacyColumns = legacyColumns;
        Map<String, String> names = new LinkedHashMap<>();
        this.keyColumns.forEach(c -> names.put(aggregate.key.renamed.getOrDefault(c, c), c));
        this.keyColumnOfName = names;
        Map<String, ColumnType> serviceRow = new LinkedHashMap<>();
        serviceRow.put(keyField, ColumnType.STRING);
        aggregate.fields.forEach((name, field) -> serviceRow.put(name, LegacyValues.ofField(field.type)));
        this.expressions = new Expressions(LegacyColumns.typed(serviceRow));

        Map<String, ColumnWrite> keys = new LinkedHashMap<>();
        writeback.key.forEach((column, rule) -> {
            if (!this.keyColumns.contains(column)) {
                throw new SpecException(
                        rule.path, "'" + column + "' is not a legacy key column; the key is " + this.keyColumns);
            }
            keys.put(column, compile(column, rule, aggregate, serviceRow));
        });
        Map<String, ColumnWrite> writes = new LinkedHashMap<>();
        writeback.columns.forEach((column, rule) -> {
            requireLegacyColumn(column, rule.path);
            ColumnWrite write = compile(column, rule, aggregate, serviceRow);
            (this.keyColumns.contains(column) ? keys : writes).put(column, write);
        });
        derive(aggregate, writeback, keys, writes, serviceRow);
        requireEveryColumnRuled(aggregate, writeback, keys, writes);
        this.keyRules = Collections.unmodifiableMap(keys);
        this.columns = Collections.unmodifiableMap(writes);
        this.versionColumn = writeback.version;
        if (versionColumn != null) {
            ColumnWrite version = writes.get(versionColumn);
            if (version == null || version.rule.kind == WritebackRule.Kind.KEEP) {
                throw new SpecException(
                        writeback.path + ".version",
                        "'" + versionColumn + "' must be a legacy column the write-back writes (from, map, expr or "
                                + "const), so that its value orders the row's versions");
            }
        }
        boolean bindings = false;
        for (ColumnWrite write : keys.values()) {
            bindings |= write.expr != null;
        }
        for (ColumnWrite write : writes.values()) {
            bindings |= write.expr != null;
        }
        this.needsBindings = bindings;
    }

    /** Columns the forward spec copies into a field get the field back: through the inverse of its value map. */
    private void derive(
            AggregateSpec aggregate,
            WritebackSpec writeback,
            Map<String, ColumnWrite> keys,
            Map<String, ColumnWrite> writes,
            Map<String, ColumnType> serviceRow) {
        if (aggregate.key.column != null && !keyMadeByTransform && !keys.containsKey(aggregate.key.column)) {
            String column = aggregate.key.column;
            keys.put(
                    column,
                    compile(
                            column,
                            WritebackRule.derived(writeback.path + ".key." + column, keyField, null),
                            aggregate,
                            serviceRow));
        }
        for (Map.Entry<String, FieldSpec> entry : aggregate.fields.entrySet()) {
            FieldSpec field = entry.getValue();
            if (field.from == null || field.when != null) {
                continue;
            }
            String column = field.from;
            Map<String, ColumnWrite> into = keyColumns.contains(column) ? keys : writes;
            if (into.containsKey(column)) {
                continue;
            }
            String path = writeback.path + (into == keys ? ".key." : ".columns.") + column;
            Map<String, String> inverse = field.map == null ? null : inverse(entry.getKey(), field, column, path);
            into.put(
                    column,
                    compile(column, WritebackRule.derived(path, entry.getKey(), inverse), aggregate, serviceRow));
        }
    }

    /** The value map read backwards, or a {@link SpecException} where two legacy values stand for one target value. */
    private Map<String, String> inverse(String fieldName, FieldSpec field, String column, String path) {
        ColumnType fieldType = LegacyValues.ofField(field.type);
        Map<String, String> inverse = new LinkedHashMap<>();
        for (Map.Entry<String, String> pair : field.map.entrySet()) {
            if (pair.getValue() == null) {
                continue;
            }
            String target = canonical(fieldType, pair.getValue());
            String earlier = inverse.putIfAbsent(target, pair.getKey());
            if (earlier != null) {
                throw new SpecException(
                        path,
                        "fields." + fieldName + "'s value map cannot be read backwards: " + pair.getValue()
                                + " stands for both " + earlier + " and " + pair.getKey() + " of " + column
                                + "; declare which one the write-back writes, e.g. {from: " + fieldName
                                + ", map: {" + pair.getValue() + ": " + earlier + ", ...}, unmapped: error}");
            }
        }
        return inverse;
    }

    private void requireEveryColumnRuled(
            AggregateSpec aggregate,
            WritebackSpec writeback,
            Map<String, ColumnWrite> keys,
            Map<String, ColumnWrite> writes) {
        Map<String, String> needs = new LinkedHashMap<>();
        aggregate.fields.forEach((name, field) -> {
            if (field.from != null && field.when != null) {
                needs.putIfAbsent(field.from, "fields." + name + " copies it only when its condition holds");
            }
            reads(field.expr).forEach(c -> needs.putIfAbsent(c, "fields." + name + ".expr reads it"));
            reads(field.when).forEach(c -> needs.putIfAbsent(c, "fields." + name + ".when reads it"));
            reads(field.refName).forEach(c -> needs.putIfAbsent(c, "fields." + name + " references through it"));
            if (field.refKey != null) {
                field.refKey.values().forEach(c -> needs.putIfAbsent(c, "fields." + name + " references through it"));
            }
        });
        aggregate.dropped.forEach((column, why) -> needs.putIfAbsent(column, "it is dropped (" + why + ")"));
        List<String> missing = new ArrayList<>();
        needs.forEach((column, why) -> {
            if (!keyColumns.contains(column) && !writes.containsKey(column) && !keys.containsKey(column)) {
                missing.add(column + " (" + why + ")");
            }
        });
        if (!missing.isEmpty()) {
            throw new SpecException(
                    writeback.path + ".columns",
                    "the write-back cannot derive what to write into legacy column" + (missing.size() == 1 ? " " : "s ")
                            + String.join(", ", missing)
                            + ": declare a rule for each (from, map, expr, const, or keep: "
                            + "previous)");
        }
    }

    private static List<String> reads(String expression) {
        return expression == null ? List.of() : SpecCompiler.references(expression);
    }

    private void requireLegacyColumn(String column, String path) {
        if (legacyColumns.declared() && !legacyColumns.contains(column)) {
            throw new SpecException(
                    path,
                    "unknown legacy column '" + column + "'; the source has "
                            + legacyColumns.asMap().keySet());
        }
    }

    private ColumnWrite compile(
            String column, WritebackRule rule, AggregateSpec aggregate, Map<String, ColumnType> serviceRow) {
        ColumnType type = legacyColumns.type(column);
        return switch (rule.kind) {
            case FROM -> {
                if (!serviceRow.containsKey(rule.from)) {
                    throw new SpecException(
                            rule.path + ".from",
                            "'" + rule.from + "' is not a field of the aggregate; it has " + serviceRow.keySet());
                }
                FieldSpec field = aggregate.fields.get(rule.from);
                boolean masked = field != null && field.masked;
                if (rule.map == null) {
                    LegacyValues.refuses(type, serviceRow.get(rule.from)).ifPresent(problem -> {
                        throw new SpecException(
                                rule.path + ".from", "'" + rule.from + "' into " + column + ": " + problem);
                    });
                    yield new ColumnWrite(column, rule, type, masked, null, null, null, null);
                }
                Map<String, Object> map = new LinkedHashMap<>();
                rule.map.forEach((target, legacy) -> map.put(
                        canonical(serviceRow.get(rule.from), target), constant(type, legacy, rule.path + ".map")));
                Object fallback = constant(type, rule.fallback, rule.path + ".default");
                yield new ColumnWrite(column, rule, type, masked, map, fallback, null, null);
            }
            case EXPR -> {
                Expressions.Compiled expr = expressions.compile(rule.expr, rule.path + ".expr");
                LegacyValues.refuses(type, LegacyValues.ofExpression(expr.resultType()))
                        .ifPresent(problem -> {
                            throw new SpecException(
                                    rule.path + ".expr", "the expression yields " + expr.resultType() + ": " + problem);
                        });
                yield new ColumnWrite(column, rule, type, false, null, null, expr, null);
            }
            case CONST ->
                new ColumnWrite(
                        column,
                        rule,
                        type,
                        false,
                        null,
                        null,
                        null,
                        constant(type, rule.constant, rule.path + ".const"));
            case KEEP ->
                new ColumnWrite(
                        column,
                        rule,
                        type,
                        false,
                        null,
                        constant(type, rule.fallback, rule.path + ".default"),
                        null,
                        null);
            case SEQUENCE -> new ColumnWrite(column, rule, type, false, null, null, null, null);
            case REF -> {
                FieldSpec field = aggregate.fields.get(rule.from);
                if (field == null || field.refNamespace == null) {
                    throw new SpecException(
                            rule.path + ".ref",
                            "'" + rule.from + "' is not a reference field of the aggregate (a field with ref: "
                                    + "{uuid5: ..., key: ...})");
                }
                if (field.refKey == null) {
                    throw new SpecException(
                            rule.path + ".ref",
                            "fields." + rule.from + " is a UUIDv5 of a name expression, which cannot be read back "
                                    + "into key columns; declare " + column + " with keep: previous or an expr");
                }
                String keyName = null;
                for (Map.Entry<String, String> part : field.refKey.entrySet()) {
                    if (part.getValue().equals(column)) {
                        keyName = part.getKey();
                    }
                }
                if (keyName == null) {
                    throw new SpecException(
                            rule.path,
                            "fields." + rule.from + " references through " + field.refKey.values() + ", not '" + column
                                    + "'");
                }
                yield new ColumnWrite(
                        column,
                        rule,
                        type,
                        false,
                        null,
                        null,
                        null,
                        null,
                        new ReferenceRule(
                                rule.table,
                                field.refNamespace,
                                List.copyOf(new TreeSet<>(field.refKey.keySet())),
                                keyName));
            }
        };
    }

    private static Object constant(ColumnType type, String text, String path) {
        if (text == null) {
            return null;
        }
        try {
            return LegacyValues.toColumn(type, text, false);
        } catch (DataException e) {
            throw new SpecException(path, e.getMessage());
        }
    }

    /** A value as a value map's key: numbers compared by amount, so 1.50 finds 1.5 and 7 finds 7. */
    private static String canonical(ColumnType type, Object value) {
        if (value instanceof BigDecimal decimal) {
            return decimal.stripTrailingZeros().toPlainString();
        }
        if (value instanceof Long || value instanceof Integer || value instanceof Short) {
            return Long.toString(((Number) value).longValue());
        }
        if (value instanceof String text
                && (type == ColumnType.LONG || type == ColumnType.DECIMAL || type == ColumnType.DOUBLE)) {
            try {
                return new BigDecimal(text.trim()).stripTrailingZeros().toPlainString();
            } catch (NumberFormatException e) {
                return text;
            }
        }
        return LegacyText.of(value);
    }

    /** True if a column is the key of a row another aggregate references: its writes carry references to look up. */
    public boolean readsReferences() {
        return columns.values().stream().anyMatch(write -> write.reference != null);
    }

    /** The legacy table written, {@code schema.table}. */
    public String table() {
        return table;
    }

    /** The service's field holding the aggregate's id. */
    public String keyField() {
        return keyField;
    }

    /** The legacy columns that identify the row. */
    public List<String> keyColumns() {
        return keyColumns;
    }

    /** The aggregate's field that partitions write ownership, or {@code null}. */
    public String ownershipField() {
        return ownershipField;
    }

    /** The legacy column that orders versions, or {@code null}. */
    public String versionColumn() {
        return versionColumn;
    }

    /** The key by the lineage source key's names, so that the other tables of a fragmented aggregate can use it. */
    public Map<String, Object> canonicalKey(Map<String, Object> columnKey) {
        Map<String, Object> names = new LinkedHashMap<>();
        keyColumnOfName.forEach((name, column) -> {
            if (columnKey.containsKey(column)) {
                names.put(name, columnKey.get(column));
            }
        });
        return names;
    }

    /** The key columns of this table for a key by canonical names (those it names), in the columns' types. */
    public Map<String, Object> columnKey(Map<String, Object> canonicalKey) {
        Map<String, Object> key = new LinkedHashMap<>();
        keyColumnOfName.forEach((name, column) -> {
            if (canonicalKey.containsKey(name)) {
                key.put(column, LegacyValues.toColumn(legacyColumns.type(column), canonicalKey.get(name), false));
            }
        });
        return key;
    }

    /**
     * The legacy id recorded in an id-mapping table for this key: the key's value as text for a single key column
     * (what {@code MapId} looks up), the canonical JSON for several.
     */
    public String mappingId(Map<String, Object> columnKey) {
        if (keyColumns.size() == 1) {
            return LegacyText.of(columnKey.get(keyColumns.get(0)));
        }
        return SourceKey.of(canonicalKey(columnKey));
    }

    /** The key a legacy id of an id-mapping table stands for (see {@link #mappingId}). */
    public Optional<Map<String, Object>> keyFromMapping(String legacyId) {
        if (legacyId == null) {
            return Optional.empty();
        }
        if (keyColumns.size() == 1) {
            String column = keyColumns.get(0);
            return Optional.of(Map.of(column, LegacyValues.toColumn(legacyColumns.type(column), legacyId, false)));
        }
        return keyFromLineage(legacyId);
    }

    /** The legacy key in a lineage source key ({@code {"policy_no":"PA-1"}}), if it names every key column. */
    public Optional<Map<String, Object>> keyFromLineage(String sourceKey) {
        if (sourceKey == null || sourceKey.isBlank()) {
            return Optional.empty();
        }
        Map<?, ?> names;
        try {
            names = JSON.readValue(sourceKey, Map.class);
        } catch (JsonProcessingException e) {
            return Optional.empty();
        }
        Map<String, Object> key = new LinkedHashMap<>();
        for (Map.Entry<String, String> name : keyColumnOfName.entrySet()) {
            Object value = names.get(name.getKey());
            if (value == null) {
                return Optional.empty();
            }
            key.put(name.getValue(), LegacyValues.toColumn(legacyColumns.type(name.getValue()), value, false));
        }
        return Optional.of(key);
    }

    /**
     * The legacy write for a service change. {@code knownKey} is the legacy key the row already has (from the
     * id-mapping table or the row's lineage), or {@code null} for a row the service created: its key then comes
     * from the key rules, or is left to a sequence.
     *
     * @throws DataException naming the rule's path and the service id when a value has no legacy counterpart
     */
    public LegacyWrite translate(
            Map<String, Object> after, Map<String, Object> before, String op, Map<String, Object> knownKey) {
        boolean delete = "d".equals(op);
        Map<String, Object> row = delete ? before : after;
        Object id = row == null ? null : row.get(keyField);
        if (id == null) {
            throw new DataException(rule + " " + path + ": the service's row has no " + keyField);
        }
        String targetId = id.toString();
        Map<String, Object> bindings = needsBindings ? expressions.bindings(row, before, Map.of(), op) : null;
        Map<String, Object> key = new LinkedHashMap<>();
        Map<String, String> sequences = new LinkedHashMap<>();
        for (String column : keyColumns) {
            ColumnWrite keyRule = keyRules.get(column);
            if (knownKey != null && knownKey.containsKey(column)) {
                Object known = knownKey.get(column);
                if (!delete && keyRule != null && keyRule.rule.kind == WritebackRule.Kind.FROM) {
                    // A legacy row keeps its key: moving it would break whatever references it in legacy.
                    Object now = evaluate(keyRule, row, bindings, targetId);
                    if (now != null
                            && !canonical(ColumnType.UNKNOWN, now).equals(canonical(ColumnType.UNKNOWN, known))) {
                        throw new DataException(rule + " " + keyRule.rule.path + " (service id " + targetId + "): the "
                                + "service changed the legacy key column " + column
                                + (keyRule.masked ? "" : " from '" + known + "' to '" + now + "'")
                                + "; the write-back does not move a legacy row "
                                + "to another key");
                    }
                }
                key.put(column, known);
                continue;
            }
            if (keyRule != null && keyRule.rule.kind == WritebackRule.Kind.SEQUENCE) {
                sequences.put(column, keyRule.rule.sequence);
                continue;
            }
            Object value = keyRule == null ? null : evaluate(keyRule, row, bindings, targetId);
            if (value == null) {
                throw new DataException(
                        rule + " " + path + ".key (service id " + targetId + "): the legacy key column '"
                                + column
                                + "' of this row is not known"
                                + (keyRule == null
                                        ? " (no id mapping, no lineage) and writeback.key does not say how to make it for a row "
                                                + "the service created: declare writeback.key." + column
                                                + " (a sequence or an expression)"
                                        : " (its rule gives null)"));
            }
            key.put(column, value);
        }
        Map<String, Object> values = new LinkedHashMap<>();
        Set<String> kept = new LinkedHashSet<>();
        Map<String, Object> insertDefaults = new LinkedHashMap<>();
        Map<String, LegacyWrite.Reference> references = new LinkedHashMap<>();
        if (!delete) {
            for (ColumnWrite write : columns.values()) {
                if (write.rule.kind == WritebackRule.Kind.KEEP) {
                    kept.add(write.column);
                    if (write.fallback != null) {
                        insertDefaults.put(write.column, write.fallback);
                    }
                } else if (write.reference != null) {
                    Object referenced = row.get(write.rule.from);
                    if (referenced == null) {
                        values.put(write.column, null);
                    } else {
                        ReferenceRule ref = write.reference;
                        references.put(
                                write.column,
                                new LegacyWrite.Reference(
                                        ref.table(),
                                        ref.namespace(),
                                        ref.keyNames(),
                                        ref.keyName(),
                                        referenced.toString()));
                    }
                } else {
                    values.put(write.column, evaluate(write, row, bindings, targetId));
                }
            }
        }
        Object partition = ownershipField == null ? null : row.get(ownershipField);
        return new LegacyWrite(
                table,
                targetId,
                delete,
                key,
                sequences,
                values,
                kept,
                insertDefaults,
                versionColumn,
                partition == null ? null : partition.toString(),
                references);
    }

    private Object evaluate(ColumnWrite write, Map<String, Object> row, Map<String, Object> bindings, String id) {
        try {
            return write.value(row, bindings);
        } catch (DataException | ArithmeticException | IllegalArgumentException e) {
            throw new DataException(rule + " " + write.rule.path + " (service id " + id + "): " + e.getMessage(), e);
        }
    }

    /** What a {@code ref} rule reads back: the referenced table, its UUIDv5 namespace and key names. */
    private record ReferenceRule(String table, UUID namespace, List<String> keyNames, String keyName) {}

    /** One legacy column's rule, compiled: constants and mapped values already in the column's type. */
    private static final class ColumnWrite {
        final String column;
        final WritebackRule rule;
        final ColumnType type;
        final boolean masked;
        /** Target value (canonical text) to legacy value. */
        final Map<String, Object> map;

        final Object fallback;
        final Expressions.Compiled expr;
        final Object constant;

        /** With a {@code ref} rule: the referenced row whose key the column gets. */
        final ReferenceRule reference;

        ColumnWrite(
                String column,
                WritebackRule rule,
                ColumnType type,
                boolean masked,
                Map<String, Object> map,
                Object fallback,
                Expressions.Compiled expr,
                Object constant) {
            this(column, rule, type, masked, map, fallback, expr, constant, null);
        }

        ColumnWrite(
                String column,
                WritebackRule rule,
                ColumnType type,
                boolean masked,
                Map<String, Object> map,
                Object fallback,
                Expressions.Compiled expr,
                Object constant,
                ReferenceRule reference) {
            this.reference = reference;
            this.column = column;
            this.rule = rule;
            this.type = type;
            this.masked = masked;
            this.map = map;
            this.fallback = fallback;
            this.expr = expr;
            this.constant = constant;
        }

        Object value(Map<String, Object> row, Map<String, Object> bindings) {
            return switch (rule.kind) {
                case CONST -> constant;
                case EXPR -> LegacyValues.toColumn(type, expr.evaluate(bindings, masked), masked);
                case FROM -> fromField(row);
                case KEEP, SEQUENCE, REF -> throw new IllegalStateException(rule.kind + " has no value of its own");
            };
        }

        private Object fromField(Map<String, Object> row) {
            if (!row.containsKey(rule.from)) {
                throw new DataException("the service's row has no field '" + rule.from + "'");
            }
            Object value = row.get(rule.from);
            if (map == null || value == null) {
                return LegacyValues.toColumn(type, value, masked);
            }
            String target = canonical(ColumnType.UNKNOWN, value);
            if (map.containsKey(target)) {
                return map.get(target);
            }
            if (rule.failOnUnmapped) {
                throw new DataException("no legacy value of " + column + " stands for " + rule.from + " "
                        + (masked ? "(masked)" : "'" + target + "'; the value map has " + map.keySet()));
            }
            return fallback;
        }
    }
}
