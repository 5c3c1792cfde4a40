package io.rollingmigration.connect.reconcile.drift;

import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.data.Timestamp;

import java.util.ArrayList;
import java.util.Date;
import java.util.List;

/** The stable schemas of drift and summary records, and their construction. */
public final class DriftRecords {

    public static final Schema KEY_SCHEMA = SchemaBuilder.struct()
            .name("io.rollingmigration.reconcile.DriftKey").version(1)
            .field("aggregate", Schema.STRING_SCHEMA)
            .field("legacy_key", Schema.STRING_SCHEMA)
            .build();

    public static final Schema FIELD_SCHEMA = SchemaBuilder.struct()
            .name("io.rollingmigration.reconcile.FieldDifference").version(1)
            .field("name", Schema.STRING_SCHEMA)
            .field("expected", Schema.OPTIONAL_STRING_SCHEMA)
            .field("actual", Schema.OPTIONAL_STRING_SCHEMA)
            .build();

    public static final Schema VALUE_SCHEMA = SchemaBuilder.struct()
            .name("io.rollingmigration.reconcile.Drift").version(1)
            .field("kind", Schema.STRING_SCHEMA)
            .field("aggregate", Schema.STRING_SCHEMA)
            .field("legacy_key", Schema.STRING_SCHEMA)
            .field("fields", SchemaBuilder.array(FIELD_SCHEMA).build())
            .field("run_id", Schema.STRING_SCHEMA)
            .field("detected_at", Timestamp.SCHEMA)
            .build();

    public static final Schema SUMMARY_KEY_SCHEMA = Schema.STRING_SCHEMA;

    public static final Schema SUMMARY_SCHEMA = SchemaBuilder.struct()
            .name("io.rollingmigration.reconcile.RunSummary").version(1)
            .field("run_id", Schema.STRING_SCHEMA)
            .field("aggregate", Schema.STRING_SCHEMA)
            .field("legacy_rows", Schema.INT64_SCHEMA)
            .field("target_rows", Schema.INT64_SCHEMA)
            .field("compared", Schema.INT64_SCHEMA)
            .field("matched", Schema.INT64_SCHEMA)
            .field("missing_in_target", Schema.INT64_SCHEMA)
            .field("unexpected_in_target", Schema.INT64_SCHEMA)
            .field("field_mismatch", Schema.INT64_SCHEMA)
            .field("started_at", Timestamp.SCHEMA)
            .field("finished_at", Timestamp.SCHEMA)
            .field("duration_ms", Schema.INT64_SCHEMA)
            .build();

    private DriftRecords() {
    }

    public static Struct key(String aggregate, Drift drift) {
        return new Struct(KEY_SCHEMA).put("aggregate", aggregate).put("legacy_key", drift.legacyKey());
    }

    public static Struct value(String aggregate, Drift drift, String runId, long detectedAt) {
        List<Struct> fields = new ArrayList<>();
        for (FieldDifference field : drift.fields()) {
            fields.add(new Struct(FIELD_SCHEMA).put("name", field.name()).put("expected", field.expected())
                    .put("actual", field.actual()));
        }
        return new Struct(VALUE_SCHEMA)
                .put("kind", drift.kind().name())
                .put("aggregate", aggregate)
                .put("legacy_key", drift.legacyKey())
                .put("fields", fields)
                .put("run_id", runId)
                .put("detected_at", new Date(detectedAt));
    }

    public static Struct summary(String aggregate, RunSummary summary) {
        return new Struct(SUMMARY_SCHEMA)
                .put("run_id", summary.runId())
                .put("aggregate", aggregate)
                .put("legacy_rows", summary.legacyRows())
                .put("target_rows", summary.targetRows())
                .put("compared", summary.compared())
                .put("matched", summary.matched())
                .put("missing_in_target", summary.missingInTarget())
                .put("unexpected_in_target", summary.unexpectedInTarget())
                .put("field_mismatch", summary.fieldMismatch())
                .put("started_at", new Date(summary.startedAt()))
                .put("finished_at", new Date(summary.finishedAt()))
                .put("duration_ms", summary.finishedAt() - summary.startedAt());
    }
}
