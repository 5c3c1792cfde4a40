package io.rollingmigration.connect.reconcile.drift;

import io.rollingmigration.connect.common.drift.Drift;
import io.rollingmigration.connect.common.drift.DriftKind;
import io.rollingmigration.connect.common.drift.FieldDifference;
import io.rollingmigration.connect.common.drift.Severity;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.data.Timestamp;
import org.apache.kafka.connect.header.ConnectHeaders;
import org.apache.kafka.connect.header.Headers;

/**
 * The stable schemas of drift and summary records, and their construction. Drift records also carry their state in
 * plain string headers, so a task can read the topic back whatever converter the worker uses.
 */
public final class DriftRecords {

    public static final String HEADER_AGGREGATE = "drift.aggregate";
    public static final String HEADER_TARGET_KEY = "drift.target.key";
    public static final String HEADER_LEGACY_KEY = "drift.legacy.key";
    public static final String HEADER_KIND = "drift.kind";
    public static final String HEADER_SEVERITY = "drift.severity";
    public static final String HEADER_RANGE = "drift.range";
    public static final String HEADER_FIRST_DETECTED = "drift.first.detected";
    public static final String HEADER_RECHECKS = "drift.rechecks";

    public static final Schema KEY_SCHEMA = SchemaBuilder.struct()
            .name("io.rollingmigration.reconcile.DriftKey")
            .version(2)
            .field("aggregate", Schema.STRING_SCHEMA)
            .field("target_key", Schema.STRING_SCHEMA)
            .build();

    public static final Schema FIELD_SCHEMA = SchemaBuilder.struct()
            .name("io.rollingmigration.reconcile.FieldDifference")
            .version(1)
            .field("name", Schema.STRING_SCHEMA)
            .field("expected", Schema.OPTIONAL_STRING_SCHEMA)
            .field("actual", Schema.OPTIONAL_STRING_SCHEMA)
            .build();

    public static final Schema VALUE_SCHEMA = SchemaBuilder.struct()
            .name("io.rollingmigration.reconcile.Drift")
            .version(2)
            .field("kind", Schema.STRING_SCHEMA)
            .field("severity", Schema.STRING_SCHEMA)
            .field("aggregate", Schema.STRING_SCHEMA)
            .field("target_key", Schema.STRING_SCHEMA)
            .field("legacy_key", Schema.OPTIONAL_STRING_SCHEMA)
            .field("fields", SchemaBuilder.array(FIELD_SCHEMA).build())
            .field("violated_rules", SchemaBuilder.array(Schema.STRING_SCHEMA).build())
            .field("message", Schema.OPTIONAL_STRING_SCHEMA)
            .field("rule", Schema.STRING_SCHEMA)
            .field("first_detected", Timestamp.SCHEMA)
            .field("last_detected", Timestamp.SCHEMA)
            .field("rechecks", Schema.INT64_SCHEMA)
            .field("run_id", Schema.STRING_SCHEMA)
            .build();

    public static final Schema SUMMARY_KEY_SCHEMA = Schema.STRING_SCHEMA;

    public static final Schema SUMMARY_SCHEMA = SchemaBuilder.struct()
            .name("io.rollingmigration.reconcile.RunSummary")
            .version(4)
            .field("run_id", Schema.STRING_SCHEMA)
            .field("aggregate", Schema.STRING_SCHEMA)
            .field("range", Schema.STRING_SCHEMA)
            .field("mode", Schema.STRING_SCHEMA)
            .field("status", Schema.STRING_SCHEMA)
            .field("legacy_rows", Schema.INT64_SCHEMA)
            .field("target_rows", Schema.INT64_SCHEMA)
            .field("compared", Schema.INT64_SCHEMA)
            .field("matched", Schema.INT64_SCHEMA)
            .field("in_flight", Schema.INT64_SCHEMA)
            .field("missing_in_target", Schema.INT64_SCHEMA)
            .field("unexpected_in_target", Schema.INT64_SCHEMA)
            .field("field_mismatch", Schema.INT64_SCHEMA)
            .field("rule_violation", Schema.INT64_SCHEMA)
            .field("missing_fragment", Schema.INT64_SCHEMA)
            .field("unexpected_fragment", Schema.INT64_SCHEMA)
            .field("missing_in_legacy", Schema.OPTIONAL_INT64_SCHEMA)
            .field("unexpected_in_legacy", Schema.OPTIONAL_INT64_SCHEMA)
            .field("drift_low", Schema.INT64_SCHEMA)
            .field("drift_medium", Schema.INT64_SCHEMA)
            .field("drift_high", Schema.INT64_SCHEMA)
            .field("drift_critical", Schema.INT64_SCHEMA)
            .field("open_drift", Schema.INT64_SCHEMA)
            .field("suspects", Schema.INT64_SCHEMA)
            .field("alignment_pct", Schema.FLOAT64_SCHEMA)
            .field("started_at", Timestamp.SCHEMA)
            .field("finished_at", Timestamp.builder().optional().build())
            .field("duration_ms", Schema.INT64_SCHEMA)
            .field("rows_per_second", Schema.FLOAT64_SCHEMA)
            .build();

    private DriftRecords() {}

    public static Struct key(String aggregate, String targetKey) {
        return new Struct(KEY_SCHEMA).put("aggregate", aggregate).put("target_key", targetKey);
    }

    public static Struct value(
            String aggregate, Drift drift, String rule, OpenDrift state, long lastDetected, String runId) {
        List<Struct> fields = new ArrayList<>();
        for (FieldDifference field : drift.fields()) {
            fields.add(new Struct(FIELD_SCHEMA)
                    .put("name", field.name())
                    .put("expected", field.expected())
                    .put("actual", field.actual()));
        }
        return new Struct(VALUE_SCHEMA)
                .put("kind", drift.kind().name())
                .put("severity", drift.severity().name())
                .put("aggregate", aggregate)
                .put("target_key", drift.targetKey())
                .put("legacy_key", drift.legacyKey())
                .put("fields", fields)
                .put("violated_rules", drift.violatedRules())
                .put("message", drift.message())
                .put("rule", rule)
                .put("first_detected", new Date(state.firstDetected()))
                .put("last_detected", new Date(lastDetected))
                .put("rechecks", state.rechecks())
                .put("run_id", runId);
    }

    /** The headers that let a task rebuild its open drift from the topic. */
    public static Headers stateHeaders(String aggregate, OpenDrift state) {
        ConnectHeaders headers = new ConnectHeaders();
        headers.addString(HEADER_AGGREGATE, aggregate);
        headers.addString(HEADER_TARGET_KEY, state.targetKey());
        if (state.legacyKey() != null) {
            headers.addString(HEADER_LEGACY_KEY, state.legacyKey());
        }
        headers.addString(HEADER_KIND, state.kind().name());
        headers.addString(HEADER_SEVERITY, state.severity().name());
        headers.addString(HEADER_RANGE, state.range());
        headers.addString(HEADER_FIRST_DETECTED, Long.toString(state.firstDetected()));
        headers.addString(HEADER_RECHECKS, Long.toString(state.rechecks()));
        return headers;
    }

    /** The headers of a tombstone: which key of which aggregate is no longer open. */
    public static Headers tombstoneHeaders(String aggregate, String targetKey) {
        ConnectHeaders headers = new ConnectHeaders();
        headers.addString(HEADER_AGGREGATE, aggregate);
        headers.addString(HEADER_TARGET_KEY, targetKey);
        return headers;
    }

    public static Struct summary(
            String aggregate,
            String runId,
            String range,
            String mode,
            boolean completed,
            RunFigures figures,
            long openDrift,
            long suspects,
            long startedAt,
            long now) {
        long duration = Math.max(0, now - startedAt);
        return new Struct(SUMMARY_SCHEMA)
                .put("run_id", runId)
                .put("aggregate", aggregate)
                .put("range", range)
                .put("mode", mode)
                .put("status", completed ? "COMPLETED" : "RUNNING")
                .put("legacy_rows", figures.legacyRows())
                .put("target_rows", figures.targetRows())
                .put("compared", figures.compared())
                .put("matched", figures.matched())
                .put("in_flight", figures.inFlight())
                .put("missing_in_target", figures.drift(DriftKind.MISSING_IN_TARGET))
                .put("unexpected_in_target", figures.drift(DriftKind.UNEXPECTED_IN_TARGET))
                .put("field_mismatch", figures.drift(DriftKind.FIELD_MISMATCH))
                .put("rule_violation", figures.drift(DriftKind.RULE_VIOLATION))
                .put("missing_fragment", figures.drift(DriftKind.MISSING_FRAGMENT))
                .put("unexpected_fragment", figures.drift(DriftKind.UNEXPECTED_FRAGMENT))
                .put("missing_in_legacy", figures.drift(DriftKind.MISSING_IN_LEGACY))
                .put("unexpected_in_legacy", figures.drift(DriftKind.UNEXPECTED_IN_LEGACY))
                .put("drift_low", figures.drift(Severity.LOW))
                .put("drift_medium", figures.drift(Severity.MEDIUM))
                .put("drift_high", figures.drift(Severity.HIGH))
                .put("drift_critical", figures.drift(Severity.CRITICAL))
                .put("open_drift", openDrift)
                .put("suspects", suspects)
                .put("alignment_pct", figures.alignmentPercent())
                .put("started_at", new Date(startedAt))
                .put("finished_at", completed ? new Date(now) : null)
                .put("duration_ms", duration)
                .put("rows_per_second", duration == 0 ? 0.0 : figures.compared() * 1000.0 / duration);
    }
}
