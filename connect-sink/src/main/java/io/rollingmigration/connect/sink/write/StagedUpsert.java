package io.rollingmigration.connect.sink.write;

import io.rollingmigration.connect.common.dialect.StagedWrites;
import io.rollingmigration.connect.common.dialect.TableId;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The bulk path of dialects that have one: rows stream into a staging table of the connection (PostgreSQL's
 * {@code COPY}) and one version-guarded statement merges them into the target. A staging table lives as long as
 * the transaction that created it commits and the connection stays open.
 */
final class StagedUpsert implements TargetSession.Reset {

    private final StagedWrites staged;
    private final TableId tableId;
    private final Set<String> stagesOnConnection = new HashSet<>();

    StagedUpsert(StagedWrites staged, TableId tableId) {
        this.staged = staged;
        this.tableId = tableId;
    }

    @Override
    public void connectionReset() {
        stagesOnConnection.clear();
    }

    /** Streams the changes, all of one shape, into the stage and merges them; counts what the merge applied. */
    void upsert(
            Connection connection,
            RowShape shape,
            List<TargetChange> changes,
            Timestamp appliedAt,
            TargetTable table,
            WriteOutcome outcome)
            throws SQLException {
        List<String> columns = shape.columns();
        String stage = "migration_stage_" + Integer.toHexString(columns.hashCode());
        if (stagesOnConnection.add(stage)) {
            try (Statement statement = connection.createStatement()) {
                statement.execute(staged.createStage(stage, tableId, columns));
            }
        }
        StagedWrites.Temporal[] temporal = new StagedWrites.Temporal[columns.size()];
        for (int i = 0; i < columns.size(); i++) {
            temporal[i] = table.column(columns.get(i)).map(staged::temporalOf).orElse(StagedWrites.Temporal.NONE);
        }
        StringBuilder row = new StringBuilder(columns.size() * 24);
        Iterator<TargetChange> remaining = changes.iterator();
        Supplier<CharSequence> rows = () -> {
            if (!remaining.hasNext()) {
                return null;
            }
            row.setLength(0);
            shape.encode(row, remaining.next(), appliedAt, staged, temporal);
            return row;
        };
        staged.load(connection, stage, columns, rows);
        try (Statement statement = connection.createStatement()) {
            outcome.countRows(
                    changes,
                    statement.executeUpdate(
                            staged.mergeStage(stage, tableId, shape.keyColumns(), columns, shape.guardColumn())));
        }
    }
}
