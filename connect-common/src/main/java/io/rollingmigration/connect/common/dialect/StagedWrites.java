package io.rollingmigration.connect.common.dialect;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.function.Supplier;

/**
 * A database's bulk path for version-guarded writes: stream the rows of a batch into a staging table private to
 * the connection, then merge them into the target with one guarded statement.
 */
public interface StagedWrites {

    /** How a value is written into the bulk stream, beyond its Java type. */
    enum Temporal {
        NONE,
        DATE,
        TIME,
        TIMESTAMP,
        TIMESTAMP_WITH_ZONE
    }

    /** Creates the staging table for these target columns unless it exists; it empties itself at each commit. */
    String createStage(String stage, TableId target, List<String> columns);

    /** Merges the staged rows into the target, taking each only where it is newer; returns rows written. */
    String mergeStage(
            String stage, TableId target, List<String> keyColumns, List<String> columns, String versionColumn);

    /** Appends one value to a row of the bulk stream. */
    void appendValue(StringBuilder row, Object value, Temporal temporal);

    /** Ends a value (between values) or a row. */
    char valueSeparator();

    char rowSeparator();

    /**
     * Streams rows into the staging table as the database takes them; {@code rows} gives the next encoded row, or
     * {@code null} at the end. Encoding on demand lets the database ingest while the next rows are prepared.
     * Returns how many rows arrived.
     */
    long load(Connection connection, String stage, List<String> columns, Supplier<CharSequence> rows)
            throws SQLException;

    /** How a column of this database type takes timestamps. */
    Temporal temporalOf(ColumnDescription column);
}
