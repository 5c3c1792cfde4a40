package io.rollingmigration.connect.reconcile.drift;

import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.data.Timestamp;

import java.util.ArrayList;
import java.util.Date;
import java.util.List;

/**
 * The drift topic's record format. The schemas are built once: every record of every run shares them, so converters
 * register one schema version and consumers can rely on it. New fields (severity, rule, rechecks) will be added as
 * optional fields, which keeps the schema backward compatible.
 */
public final class DriftRecord {

    public static final String KEY_SCHEMA_NAME = "io.rollingmigration.reconcile.DriftKey";
    public static final String VALUE_SCHEMA_NAME = "io.rollingmigration.reconcile.Drift";
    public static final String FIELD_SCHEMA_NAME = "io.rollingmigration.reconcile.DriftField";

    public static final String AGGREGATE = "aggregate";
    public static final String LEGACY_KEY = "legacy_key";
    public static final String KIND = "kind";
    public static final String FIELDS = "fields";
    public static final String RUN_ID = "run_id";
    public static final String DETECTED_AT = "detected_at";
    public static final String FIELD_NAME = "name";
    public static final String FIELD_EXPECTED = "expected";
    public static final String FIELD_ACTUAL = "actual";

    /** Aggregate + legacy key: on a compacted topic the latest record per key is the current state of that row. */
    public static final Schema KEY_SCHEMA = SchemaBuilder.struct().name(KEY_SCHEMA_NAME).version(1)
            .doc("Identifies the legacy row a drift record is about.")
            .field(AGGREGATE, Schema.STRING_SCHEMA)
            .field(LEGACY_KEY, Schema.STRING_SCHEMA)
            .build();

    public static final Schema FIELD_SCHEMA = SchemaBuilder.struct().name(FIELD_SCHEMA_NAME).version(1)
            .doc("One differing column: the legacy value (expected) and the target value (actual), as text.")
            .field(FIELD_NAME, Schema.STRING_SCHEMA)
            .field(FIELD_EXPECTED, Schema.OPTIONAL_STRING_SCHEMA)
            .field(FIELD_ACTUAL, Schema.OPTIONAL_STRING_SCHEMA)
            .build();

    public static final Schema VALUE_SCHEMA = SchemaBuilder.struct().name(VALUE_SCHEMA_NAME).version(1)
            .doc("A difference between the legacy and the target store found by a reconciliation sweep.")
            .field(KIND, Schema.STRING_SCHEMA)
            .field(AGGREGATE, Schema.STRING_SCHEMA)
            .field(LEGACY_KEY, Schema.STRING_SCHEMA)
            .field(FIELDS, SchemaBuilder.array(FIELD_SCHEMA).build())
            .field(RUN_ID, Schema.STRING_SCHEMA)
            .field(DETECTED_AT, Timestamp.SCHEMA)
            .build();

    private DriftRecord() {
    }

    public static Struct key(String aggregate, Drift drift) {
        return new Struct(KEY_SCHEMA).put(AGGREGATE, aggregate).put(LEGACY_KEY, drift.legacyKey());
    }

    public static Struct value(String aggregate, Drift drift, String runId, long detectedAtMillis) {
        List<Struct> fields = new ArrayList<>(drift.fields().size());
        for (FieldDifference difference : drift.fields()) {
            fields.add(new Struct(FIELD_SCHEMA)
                    .put(FIELD_NAME, difference.name())
                    .put(FIELD_EXPECTED, difference.expected())
                    .put(FIELD_ACTUAL, difference.actual()));
        }
        return new Struct(VALUE_SCHEMA)
                .put(KIND, drift.kind().name())
                .put(AGGREGATE, aggregate)
                .put(LEGACY_KEY, drift.legacyKey())
                .put(FIELDS, fields)
                .put(RUN_ID, runId)
                .put(DETECTED_AT, new Date(detectedAtMillis));
    }
}
