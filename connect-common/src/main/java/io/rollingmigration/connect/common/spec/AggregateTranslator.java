package io.rollingmigration.connect.common.spec;

import io.rollingmigration.connect.common.lineage.SourceKey;
import io.rollingmigration.connect.common.spec.MappingSpec.AggregateSpec;
import io.rollingmigration.connect.common.spec.MappingSpec.FieldSpec;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.DataException;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One aggregate of a compiled mapping spec: turns a normalised legacy row into the target key and the aggregate
 * struct, with schemas built once. The translation SMT and the reconciler both use it, so they can never disagree
 * about what the target should hold.
 */
public final class AggregateTranslator {

    private final String name;
    private final String rule;
    private final String topic;
    private final String keyField;
    private final Schema keySchema;
    private final Schema valueSchema;
    private final byte[] namespace;
    private final List<String> keyColumns;
    private final List<CompiledField> fields;
    private final Map<String, String> dropped;
    private final boolean needsBindings;
    private final String ownershipField;
    private final org.apache.kafka.connect.data.Field keyFieldInValue;

    AggregateTranslator(MappingSpec spec, AggregateSpec aggregate, Expressions expressions) {
        this.name = aggregate.name;
        this.rule = spec.rule();
        this.topic = aggregate.topic;
        this.keyField = aggregate.key.field;
        this.namespace = aggregate.key.namespace == null ? null : Uuid5.bytes(aggregate.key.namespace);
        this.keyColumns = aggregate.key.columns;
        this.dropped = aggregate.dropped;
        this.ownershipField = aggregate.ownershipField;
        this.keySchema = SchemaBuilder.struct().name(spec.name() + "." + name + ".Key").version(spec.version())
                .field(keyField, Schema.STRING_SCHEMA).build();
        SchemaBuilder value = SchemaBuilder.struct().name(spec.name() + "." + name).version(spec.version())
                .field(keyField, Schema.STRING_SCHEMA);
        List<CompiledField> compiled = new ArrayList<>();
        boolean bindings = false;
        for (Map.Entry<String, FieldSpec> field : aggregate.fields.entrySet()) {
            CompiledField f = new CompiledField(field.getKey(), field.getValue(), expressions);
            compiled.add(f);
            value.field(field.getKey(), field.getValue().type.schema());
            bindings |= f.expr != null || f.when != null;
        }
        this.fields = compiled;
        this.needsBindings = bindings;
        this.valueSchema = value.build();
        this.keyFieldInValue = valueSchema.field(keyField);
        for (CompiledField field : compiled) {
            field.target = valueSchema.field(field.name);
        }
    }

    public String name() {
        return name;
    }

    /** {@code spec-name@version}, stamped as lineage. */
    public String rule() {
        return rule;
    }

    /** The target topic, or {@code null} to keep the record's topic. */
    public String topic() {
        return topic;
    }

    public Schema keySchema() {
        return keySchema;
    }

    public Schema valueSchema() {
        return valueSchema;
    }

    public String keyField() {
        return keyField;
    }

    /** The legacy columns the target id is made from (by UUIDv5, or the one column as it is). */
    public List<String> keyColumns() {
        return keyColumns;
    }

    /** Legacy columns dropped on purpose, with the reason: semantic loss made explicit. */
    public Map<String, String> dropped() {
        return dropped;
    }

    /** True if some field's expression or condition reads {@code before}, {@code source} or {@code op}. */
    public boolean needsContext() {
        return needsBindings;
    }

    /** How each value field is derived from a legacy row, in schema order (the key field is not among them). */
    public List<FieldRecipe> recipes() {
        List<FieldRecipe> recipes = new ArrayList<>(fields.size());
        for (CompiledField field : fields) {
            Map<String, Object> map = null;
            if (field.map != null) {
                map = new LinkedHashMap<>();
                for (Map.Entry<String, String> mapped : field.map.entrySet()) {
                    map.put(mapped.getKey(), field.type.toConnect(mapped.getValue()));
                }
            }
            recipes.add(new FieldRecipe(field.name, field.type.kind().name().toLowerCase(java.util.Locale.ROOT),
                    field.from, map, field.type.toConnect(field.fallback), field.failOnUnmapped,
                    field.expr == null ? null : field.expr.expression(),
                    field.when != null || field.constant != null || field.refKey != null));
        }
        return recipes;
    }

    /** The field that partitions write ownership, or {@code null}. */
    public String ownershipField() {
        return ownershipField;
    }

    /** The target id of a legacy row: UUIDv5 of its key columns' canonical JSON, or a column as it is. */
    public String targetId(Map<String, Object> legacyRow) {
        Map<String, Object> key = new LinkedHashMap<>();
        for (String column : keyColumns) {
            if (!legacyRow.containsKey(column)) {
                throw new DataException(rule + " aggregate " + name + ": legacy key column '" + column
                        + "' is not in the row " + legacyRow.keySet());
            }
            Object value = legacyRow.get(column);
            if (value == null) {
                throw new DataException(rule + " aggregate " + name + ": legacy key column '" + column + "' is null");
            }
            key.put(column, value);
        }
        if (namespace == null) {
            Object value = key.values().iterator().next();
            return value instanceof BigDecimal ? ((BigDecimal) value).toPlainString() : value.toString();
        }
        return Uuid5.of(namespace, SourceKey.of(key)).toString();
    }

    public Struct key(String targetId) {
        return new Struct(keySchema).put(keyField, targetId);
    }

    /**
     * The aggregate for a row state. {@code before} and {@code source} feed expressions; either may be empty.
     * A value that cannot be translated is a {@link DataException} naming the rule, the field and the legacy key.
     */
    public Struct translate(String targetId, Map<String, Object> after, Map<String, Object> before,
                            Map<String, Object> source, String op) {
        Map<String, Object> bindings = needsBindings ? Expressions.bindings(after, before, source, op) : null;
        Struct value = new Struct(valueSchema).put(keyFieldInValue, targetId);
        for (CompiledField field : fields) {
            try {
                value.put(field.target, field.evaluate(after, bindings));
            } catch (DataException | ArithmeticException | IllegalArgumentException e) {
                throw new DataException(rule + " aggregate " + name + " field " + field.name + " for legacy key "
                        + legacyKeyText(after) + ": " + e.getMessage(), e);
            }
        }
        return value;
    }

    /** The dropped columns that held a value in this row: what the target loses, counted per column. */
    public List<String> droppedValues(Map<String, Object> legacyRow) {
        List<String> lost = new ArrayList<>();
        for (String column : dropped.keySet()) {
            if (legacyRow.get(column) != null) {
                lost.add(column);
            }
        }
        return lost;
    }

    private String legacyKeyText(Map<String, Object> row) {
        Map<String, Object> key = new LinkedHashMap<>();
        keyColumns.forEach(c -> key.put(c, row.get(c)));
        return SourceKey.of(key);
    }

    /** A field compiled once: where its value comes from, and how it becomes the target type. */
    private static final class CompiledField {
        final String name;
        final FieldType type;
        final String from;
        final Map<String, String> map;
        final String fallback;
        final boolean failOnUnmapped;
        final Expressions.Compiled expr;
        final Expressions.Compiled when;
        final Object constant;
        final byte[] refNamespace;
        final Map<String, String> refKey;
        org.apache.kafka.connect.data.Field target;

        CompiledField(String name, FieldSpec spec, Expressions expressions) {
            this.name = name;
            this.type = spec.type;
            this.from = spec.from;
            this.map = spec.map;
            this.fallback = spec.fallback;
            this.failOnUnmapped = spec.failOnUnmapped;
            this.expr = spec.expr == null ? null : expressions.compile(spec.expr, spec.path + ".expr");
            this.when = spec.when == null ? null : expressions.compile(spec.when, spec.path + ".when");
            this.refNamespace = spec.refNamespace == null ? null : Uuid5.bytes(spec.refNamespace);
            this.refKey = spec.refKey;
            if (when != null && !List.of("bool", "dyn").contains(when.resultType())) {
                throw new SpecException(spec.path + ".when", "a condition must be a boolean, not "
                        + when.resultType());
            }
            if (expr != null) {
                checkResultType(expr.resultType(), spec.path + ".expr");
            }
            try {
                this.constant = spec.constant == null ? null : type.toConnect(spec.constant);
            } catch (DataException e) {
                throw new SpecException(spec.path + ".const", e.getMessage());
            }
            if (map != null) {
                for (Map.Entry<String, String> mapped : map.entrySet()) {
                    try {
                        type.toConnect(mapped.getValue());
                    } catch (DataException e) {
                        throw new SpecException(spec.path + ".map." + mapped.getKey(), e.getMessage());
                    }
                }
            }
        }

        /** The referenced aggregate's id, or {@code null} when this row references none. */
        private String reference(Map<String, Object> after) {
            Map<String, Object> key = new LinkedHashMap<>();
            for (Map.Entry<String, String> part : refKey.entrySet()) {
                if (!after.containsKey(part.getValue())) {
                    throw new DataException("legacy column '" + part.getValue() + "' is missing from the row");
                }
                Object value = after.get(part.getValue());
                if (value == null) {
                    return null;
                }
                key.put(part.getKey(), value);
            }
            return Uuid5.of(refNamespace, SourceKey.of(key)).toString();
        }

        private void checkResultType(String result, String path) {
            boolean fits;
            switch (type.kind()) {
                case STRING:
                    fits = true;
                    break;
                case LONG:
                case INT:
                    fits = List.of("int", "uint", "decimal", "dyn").contains(result);
                    break;
                case DECIMAL:
                    fits = List.of("int", "uint", "decimal", "string", "dyn").contains(result);
                    break;
                case DOUBLE:
                    fits = List.of("double", "int", "decimal", "dyn").contains(result);
                    break;
                case BOOLEAN:
                    fits = List.of("bool", "dyn").contains(result);
                    break;
                default:
                    fits = "dyn".equals(result);
            }
            if (!fits) {
                throw new SpecException(path, "the expression yields " + result + ", which is not a " + type);
            }
        }

        Object evaluate(Map<String, Object> after, Map<String, Object> bindings) {
            if (when != null && !Boolean.TRUE.equals(when.evaluate(bindings))) {
                return null;
            }
            if (constant != null) {
                return constant;
            }
            if (expr != null) {
                return type.toConnect(expr.evaluate(bindings));
            }
            if (refKey != null) {
                return reference(after);
            }
            if (!after.containsKey(from)) {
                throw new DataException("legacy column '" + from + "' is missing from the row (dropped or renamed "
                        + "in the legacy table?)");
            }
            Object value = after.get(from);
            if (map == null) {
                return type.toConnect(value);
            }
            if (value == null) {
                return null;
            }
            String legacy = value instanceof BigDecimal ? ((BigDecimal) value).toPlainString() : value.toString();
            if (map.containsKey(legacy)) {
                return type.toConnect(map.get(legacy));
            }
            if (failOnUnmapped) {
                throw new DataException("legacy value '" + legacy + "' of column '" + from + "' is not in the value "
                        + "map " + map.keySet());
            }
            return type.toConnect(fallback);
        }
    }
}
