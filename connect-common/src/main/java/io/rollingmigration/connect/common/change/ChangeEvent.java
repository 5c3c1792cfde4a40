package io.rollingmigration.connect.common.change;

import io.rollingmigration.connect.common.lineage.Operation;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.DataException;

/**
 * A read-only view of a Debezium change event envelope ({@code before}, {@code after}, {@code source}, {@code op},
 * {@code ts_ms}). It interprets the envelope once; callers ask questions in migration terms.
 */
public final class ChangeEvent {

    private static final String ENVELOPE_SUFFIX = ".Envelope";

    private final Struct envelope;
    private final Operation operation;
    private final SourceBlock source;

    private ChangeEvent(Struct envelope, Operation operation, SourceBlock source) {
        this.envelope = envelope;
        this.operation = operation;
        this.source = source;
    }

    /** True if the schema is a Debezium change event envelope. */
    public static boolean isEnvelope(Schema valueSchema) {
        return valueSchema != null
                && valueSchema.type() == Schema.Type.STRUCT
                && valueSchema.name() != null
                && valueSchema.name().endsWith(ENVELOPE_SUFFIX)
                && valueSchema.field("op") != null
                && valueSchema.field("source") != null;
    }

    /**
     * Reads an envelope. Fails with a {@link DataException} that says what is wrong if the value is not one, so the
     * record can be routed to the dead letter queue with that reason.
     */
    public static ChangeEvent read(Schema valueSchema, Object value) {
        if (!isEnvelope(valueSchema)) {
            throw new DataException("Not a Debezium change event: value schema is "
                    + (valueSchema == null ? "absent" : "'" + valueSchema.name() + "' of type " + valueSchema.type())
                    + "; expected a struct named '*.Envelope' with 'op' and 'source' fields");
        }
        if (!(value instanceof Struct)) {
            throw new DataException("Not a Debezium change event: value is " + describe(value));
        }
        Struct envelope = (Struct) value;
        String code = envelope.getString("op");
        Operation operation;
        try {
            operation = Operation.fromCode(code);
        } catch (IllegalArgumentException e) {
            throw new DataException(e.getMessage(), e);
        }
        Struct source = envelope.getStruct("source");
        if (source == null) {
            throw new DataException("Debezium change event has no 'source' block");
        }
        return new ChangeEvent(envelope, operation, new SourceBlock(source));
    }

    public Operation operation() {
        return operation;
    }

    /** Row state before the change; present for updates and deletes when the table's replica identity allows. */
    public Struct before() {
        return fieldStruct("before");
    }

    /** Row state after the change; absent for deletes. */
    public Struct after() {
        return fieldStruct("after");
    }

    /** The state that identifies the row: {@code after}, or {@code before} for deletes. */
    public Struct rowState() {
        Struct after = after();
        return after != null ? after : before();
    }

    /** Debezium's transaction block ({@code id}, {@code total_order}, ...), or {@code null} when not provided. */
    public Struct transaction() {
        return fieldStruct("transaction");
    }

    public SourceBlock source() {
        return source;
    }

    public Struct envelope() {
        return envelope;
    }

    private Struct fieldStruct(String name) {
        Field field = envelope.schema().field(name);
        return field == null ? null : envelope.getStruct(name);
    }

    private static String describe(Object value) {
        return value == null ? "null (a tombstone)" : "a " + value.getClass().getSimpleName();
    }
}
