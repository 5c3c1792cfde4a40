package io.rollingmigration.connect.common.spec;

import io.rollingmigration.connect.common.lineage.SourceKey;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.DataException;

/**
 * One aggregate of a compiled mapping spec: turns a normalised legacy row into the target key and the aggregate
 * struct, with schemas built once. The translation SMT and the reconciler both use it, so they can never disagree
 * about what the target should hold.
 */
public final class AggregateTranslator {

    private final String name;
    private final String rule;
    private final String topic;
    private final Schema keySchema;
    private final Schema valueSchema;
    private final TargetKey key;
    private final List<CompiledField> fields;
    private final Map<String, String> dropped;
    private final Expressions expressions;
    private final boolean needsBindings;
    private final boolean needsContext;
    private final String ownershipField;
    private final Field keyFieldInValue;
    /** The reverse rules, set by the compiler when the aggregate declares them. */
    WritebackTranslator writeback;

    AggregateTranslator(MappingSpec spec, AggregateSpec aggregate, Expressions expressions) {
        this.name = aggregate.name;
        this.rule = spec.rule();
        this.topic = aggregate.topic;
        this.expressions = expressions;
        this.key = new TargetKey(rule + " aggregate " + name, aggregate.key, expressions);
        this.dropped = aggregate.dropped;
        this.ownershipField = aggregate.ownershipField;
        this.keySchema = SchemaBuilder.struct()
                .name(spec.name() + "." + name + ".Key")
                .version(spec.version())
                .field(key.field(), Schema.STRING_SCHEMA)
                .build();
        SchemaBuilder value = SchemaBuilder.struct()
                .name(spec.name() + "." + name)
                .version(spec.version())
                .field(key.field(), Schema.STRING_SCHEMA);
        List<CompiledField> compiled = new ArrayList<>();
        boolean bindings = false;
        boolean context = false;
        for (Map.Entry<String, FieldSpec> field : aggregate.fields.entrySet()) {
            CompiledField f = new CompiledField(field.getKey(), field.getValue(), expressions);
            compiled.add(f);
            value.field(field.getKey(), field.getValue().type.schema());
            bindings |= f.readsExpressions();
            context |= f.readsContext();
        }
        this.fields = compiled;
        this.needsBindings = bindings;
        this.needsContext = context;
        this.valueSchema = value.build();
        this.keyFieldInValue = valueSchema.field(key.field());
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
        return key.field();
    }

    /** The legacy columns the target id is made from (named by the key, or read by its expression). */
    public List<String> keyColumns() {
        return key.columns();
    }

    /** Legacy columns dropped on purpose, with the reason: semantic loss made explicit. */
    public Map<String, String> dropped() {
        return dropped;
    }

    /**
     * True if some field's expression or condition reads {@code source}, {@code before} or {@code op}: only then
     * does a caller need to supply them.
     */
    public boolean needsContext() {
        return needsContext;
    }

    /** The fields the spec marks {@code masked}: personal data, never shown in errors or drift records. */
    public List<String> maskedFields() {
        List<String> masked = new ArrayList<>();
        fields.stream().filter(f -> f.masked).forEach(f -> masked.add(f.name));
        return masked;
    }

    /** How each value field is derived from a legacy row, in schema order (the key field is not among them). */
    public List<FieldRecipe> recipes() {
        List<FieldRecipe> recipes = new ArrayList<>(fields.size());
        for (CompiledField field : fields) {
            recipes.add(new FieldRecipe(
                    field.name,
                    field.type.kind().name().toLowerCase(Locale.ROOT),
                    field.from,
                    field.map,
                    field.fallback,
                    field.failOnUnmapped,
                    field.expr == null ? null : field.expr.expression(),
                    field.when != null || field.constant != null || field.reference != null));
        }
        return recipes;
    }

    /** The aggregate's reverse rules: how the service's rows are written back into the legacy table. */
    public Optional<WritebackTranslator> writeback() {
        return Optional.ofNullable(writeback);
    }

    /** The field that partitions write ownership, or {@code null}. */
    public String ownershipField() {
        return ownershipField;
    }

    /** The target id of a legacy row, as the spec's key says. */
    public String targetId(Map<String, Object> legacyRow) {
        return key.of(legacyRow);
    }

    public Struct key(String targetId) {
        return new Struct(keySchema).put(key.field(), targetId);
    }

    /**
     * The aggregate for a row state. {@code before} and {@code source} feed expressions; either may be empty.
     * A value that cannot be translated is a {@link DataException} naming the rule, the field's path in the spec
     * and the legacy key, and the value's type (the value only where the field is not masked).
     */
    public Struct translate(
            String targetId,
            Map<String, Object> after,
            Map<String, Object> before,
            Map<String, Object> source,
            String op) {
        Map<String, Object> bindings = needsBindings ? expressions.bindings(after, before, source, op) : null;
        Struct value = new Struct(valueSchema).put(keyFieldInValue, targetId);
        for (CompiledField field : fields) {
            try {
                value.put(field.target, field.evaluate(after, bindings));
            } catch (DataException | ArithmeticException | IllegalArgumentException e) {
                throw new TranslationFailure(
                        field.path,
                        rule + " " + field.path + " (legacy key " + legacyKeyText(after) + "): " + e.getMessage(),
                        e);
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
        return key.legacyKeyText(row);
    }

    /** A field compiled once: where its value comes from, and how it becomes the target type. */
    private static final class CompiledField {
        final String name;
        final String path;
        final FieldType type;
        final String from;
        /** Legacy value (as text) to the target value, converted to the field's type once. */
        final Map<String, Object> map;

        final Object fallback;
        final boolean failOnUnmapped;
        final Expressions.Compiled expr;
        final Expressions.Compiled when;
        final Object constant;
        final Reference reference;
        final boolean masked;
        Field target;

        CompiledField(String name, FieldSpec spec, Expressions expressions) {
            this.name = name;
            this.path = spec.path;
            this.type = spec.type;
            this.from = spec.from;
            this.failOnUnmapped = spec.failOnUnmapped;
            this.masked = spec.masked;
            this.expr = spec.expr == null ? null : expressions.compile(spec.expr, spec.path + ".expr");
            this.when = spec.when == null ? null : expressions.compile(spec.when, spec.path + ".when");
            this.reference = spec.refNamespace == null ? null : new Reference(spec, expressions);
            LegacyColumns columns = expressions.columns();
            if (when != null
                    && !List.of("bool", "null").contains(when.resultType().name())) {
                throw new SpecException(
                        spec.path + ".when",
                        when.resultType().unknown()
                                ? "a condition must be a boolean, and this one's type is not known: compare explicitly "
                                        + "(e.g. after.flag == true) or declare the legacy columns' types"
                                : "a condition must be a boolean, not " + when.resultType());
            }
            if (expr != null) {
                List<String> untyped = expr.columns().stream()
                        .filter(c -> columns.type(c) == ColumnType.UNKNOWN)
                        .toList();
                type.refuses(expr.resultType(), untyped).ifPresent(problem -> {
                    throw new SpecException(spec.path + ".expr", problem);
                });
            }
            if (from != null && spec.map == null) {
                type.refuses(columns.type(from)).ifPresent(problem -> {
                    throw new SpecException(spec.path + ".from", "'" + from + "': " + problem);
                });
            }
            this.constant = convert(spec.constant, spec.path + ".const");
            this.fallback = convert(spec.fallback, spec.path + ".default");
            if (spec.map != null) {
                Map<String, Object> converted = new LinkedHashMap<>();
                spec.map.forEach(
                        (legacy, target) -> converted.put(legacy, convert(target, spec.path + ".map." + legacy)));
                this.map = Collections.unmodifiableMap(converted);
            } else {
                this.map = null;
            }
        }

        private Object convert(String text, String at) {
            try {
                return type.toConnect(text);
            } catch (DataException e) {
                throw new SpecException(at, e.getMessage());
            }
        }

        boolean readsExpressions() {
            return expr != null || when != null;
        }

        boolean readsContext() {
            return (expr != null && expr.readsContext()) || (when != null && when.readsContext());
        }

        Object evaluate(Map<String, Object> after, Map<String, Object> bindings) {
            if (when != null && !Boolean.TRUE.equals(when.evaluate(bindings, masked))) {
                return null;
            }
            if (constant != null) {
                return constant;
            }
            if (expr != null) {
                return type.toConnect(expr.evaluate(bindings, masked), masked);
            }
            if (reference != null) {
                return reference.of(after);
            }
            Object value = after.get(from);
            if (value == null && !after.containsKey(from)) {
                throw new DataException("legacy column '" + from + "' is missing from the row (dropped or renamed "
                        + "in the legacy table?)");
            }
            if (map == null) {
                return type.toConnect(value, masked);
            }
            if (value == null) {
                return null;
            }
            String legacy = LegacyText.of(value);
            if (map.containsKey(legacy)) {
                return map.get(legacy);
            }
            if (failOnUnmapped) {
                throw new DataException("legacy value " + (masked ? "(masked)" : "'" + legacy + "'") + " of column '"
                        + from + "' is not in the value map " + (masked ? "" : map.keySet()));
            }
            return fallback;
        }
    }

    /** The id of another aggregate, made as that aggregate's own key is; null when this row references none. */
    private static final class Reference {
        final byte[] namespace;
        final Map<String, String> key;
        final IdName name;

        Reference(FieldSpec spec, Expressions expressions) {
            this.namespace = Uuid5.bytes(spec.refNamespace);
            this.key = spec.refKey;
            this.name =
                    spec.refName == null ? null : IdName.compile(spec.refName, spec.path + ".ref.name", expressions);
        }

        String of(Map<String, Object> after) {
            if (name != null) {
                return name.anyNull(after)
                        ? null
                        : Uuid5.of(namespace, name.of(after)).toString();
            }
            Map<String, Object> values = new LinkedHashMap<>();
            for (Map.Entry<String, String> part : key.entrySet()) {
                if (!after.containsKey(part.getValue())) {
                    throw new DataException("legacy column '" + part.getValue() + "' is missing from the row");
                }
                Object value = after.get(part.getValue());
                if (value == null) {
                    return null;
                }
                values.put(part.getKey(), value);
            }
            return Uuid5.of(namespace, SourceKey.of(values)).toString();
        }
    }
}
