package io.rollingmigration.connect.sink.write;

import io.rollingmigration.connect.common.dialect.StagedWrites;
import io.rollingmigration.connect.common.lineage.Lineage;
import io.rollingmigration.connect.common.lineage.Lineage.Field;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Calendar;
import java.util.List;
import java.util.TimeZone;

/**
 * The columns one upsert writes, in order: the change's data columns, the lineage filled from headers, the version
 * and applied-at the writer sets, the delete marker where deletes leave one, a fragment's own version. Made once per
 * data shape; binds and encodes changes of that shape.
 */
final class RowShape {

    private static final String VERSION = Field.SOURCE_POSITION.column();
    private static final String APPLIED_AT = Field.APPLIED_AT.column();
    private static final String DELETED_AT = Field.DELETED_AT.column();
    /** Lineage columns filled from headers: all but the version, which the writer sets from the change. */
    private static final List<Field> HEADER_LINEAGE = Lineage.headerFields().stream()
            .filter(field -> field != Field.SOURCE_POSITION)
            .toList();

    private final List<String> dataColumns;
    private final List<String> columns;
    private final List<String> keyColumns;
    private final String guardColumn;
    private final boolean markers;
    private final boolean fragmentVersion;
    private final Calendar utc = Calendar.getInstance(TimeZone.getTimeZone("UTC"));

    /**
     * @param markers  true if a delete leaves a marker (soft deletes of whole rows)
     * @param fragment the fragment written, or {@code null} for whole rows
     */
    RowShape(List<String> dataColumns, List<String> keyColumns, boolean markers, Fragment fragment) {
        this.dataColumns = List.copyOf(dataColumns);
        this.keyColumns = List.copyOf(keyColumns);
        this.markers = markers;
        this.fragmentVersion = fragment != null;
        this.guardColumn = guardColumn(fragment);
        List<String> all = new ArrayList<>(dataColumns);
        HEADER_LINEAGE.forEach(field -> all.add(field.column()));
        all.add(VERSION);
        all.add(APPLIED_AT);
        if (markers) {
            all.add(DELETED_AT);
        }
        if (fragment != null) {
            all.add(fragment.versionColumn());
        }
        this.columns = List.copyOf(all);
    }

    /** Every column written, in binding order. */
    List<String> columns() {
        return columns;
    }

    List<String> keyColumns() {
        return keyColumns;
    }

    /** The version column that guards the upsert: the row's, or the fragment's own. */
    String guardColumn() {
        return guardColumn;
    }

    /** The version column that guards a write of this fragment ({@code null}: whole rows), upsert or delete. */
    static String guardColumn(Fragment fragment) {
        return fragment != null ? fragment.versionColumn() : VERSION;
    }

    /** Binds one change's parameters from {@code index}; returns the index after them. */
    int bind(PreparedStatement statement, int index, TargetChange change, Timestamp appliedAt, TargetTable table)
            throws SQLException {
        for (String column : dataColumns) {
            value(change, column).bind(statement, index++, table.sqlType(column));
        }
        for (Field field : HEADER_LINEAGE) {
            lineage(change, field).bind(statement, index++, table.sqlType(field.column()));
        }
        statement.setLong(index++, change.version());
        statement.setTimestamp(index++, appliedAt, utc);
        if (markers) {
            if (change.isDelete()) {
                statement.setTimestamp(index++, deletedAt(change, appliedAt), utc);
            } else {
                statement.setNull(index++, table.sqlType(DELETED_AT));
            }
        }
        if (fragmentVersion) {
            statement.setLong(index++, change.version());
        }
        return index;
    }

    /** Appends one change as a row of the dialect's bulk stream; {@code temporal} is per column. */
    void encode(
            StringBuilder row,
            TargetChange change,
            Timestamp appliedAt,
            StagedWrites staged,
            StagedWrites.Temporal[] temporal) {
        int column = 0;
        for (String name : dataColumns) {
            staged.appendValue(row, value(change, name).value(), temporal[column++]);
            row.append(staged.valueSeparator());
        }
        for (Field field : HEADER_LINEAGE) {
            staged.appendValue(row, lineage(change, field).value(), temporal[column++]);
            row.append(staged.valueSeparator());
        }
        staged.appendValue(row, change.version(), temporal[column++]);
        row.append(staged.valueSeparator());
        staged.appendValue(row, appliedAt, temporal[column++]);
        if (markers) {
            row.append(staged.valueSeparator());
            staged.appendValue(row, change.isDelete() ? deletedAt(change, appliedAt) : null, temporal[column++]);
        }
        if (fragmentVersion) {
            row.append(staged.valueSeparator());
            staged.appendValue(row, change.version(), temporal[column]);
        }
        row.append(staged.rowSeparator());
    }

    /** A key column's value of a delete; a fragment's delete empties the fragment's other columns. */
    static BoundValue value(TargetChange change, String column) {
        if (change.isDelete()) {
            int keyIndex = change.key().columns().indexOf(column);
            return keyIndex >= 0 ? change.key().values().get(keyIndex) : BoundValue.NULL;
        }
        return change.columns().get(column);
    }

    private static BoundValue lineage(TargetChange change, Field field) {
        return BoundValue.lineage(change.lineage().get(field.column()), field.kind() == Lineage.Kind.TIMESTAMP);
    }

    /** When the legacy row was deleted: its commit time if the change carries it, else now. */
    private static Timestamp deletedAt(TargetChange change, Timestamp appliedAt) {
        return change.committedAtMillis().isPresent()
                ? new Timestamp(change.committedAtMillis().getAsLong())
                : appliedAt;
    }
}
