package io.rollingmigration.connect.smt.lineage;

import org.apache.kafka.connect.source.SourceRecord;

/** Debezium test events for tests in other packages. */
public final class DebeziumEventsAccess {

    private DebeziumEventsAccess() {}

    public static SourceRecord update(long id, String before, String after) {
        return DebeziumEvents.postgres(
                "u", DebeziumEvents.row(id, before, "1.00"), DebeziumEvents.row(id, after, "2.00"), 100L, null);
    }

    public static SourceRecord snapshotRead(long id) {
        return DebeziumEvents.postgres("r", null, DebeziumEvents.row(id, "Snap", "1.00"), 50L, "true");
    }

    public static SourceRecord delete(long id) {
        return DebeziumEvents.postgres("d", DebeziumEvents.row(id, "Gone", "1.00"), null, 200L, null);
    }
}
