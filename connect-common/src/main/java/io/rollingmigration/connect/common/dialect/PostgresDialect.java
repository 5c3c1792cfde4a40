package io.rollingmigration.connect.common.dialect;

import io.rollingmigration.connect.common.lineage.Lineage;
import java.sql.Connection;
import java.sql.Driver;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.stream.Collectors;
import org.apache.kafka.connect.data.Date;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Time;
import org.apache.kafka.connect.data.Timestamp;

/** PostgreSQL: {@code INSERT ... ON CONFLICT ... DO UPDATE ... WHERE}, byte order through {@code COLLATE "C"}. */
public final class PostgresDialect implements SqlDialect {

    private final StagedWrites copy = new PostgresCopy(this);

    /** {@code COPY} into a temporary table, then {@code INSERT ... SELECT ... ON CONFLICT ... WHERE}. */
    @Override
    public Optional<StagedWrites> stagedWrites() {
        return Optional.of(copy);
    }

    @Override
    public String name() {
        return "postgresql";
    }

    @Override
    public boolean accepts(String jdbcUrl) {
        return jdbcUrl != null && jdbcUrl.startsWith("jdbc:postgresql:");
    }

    @Override
    public Driver driver() {
        return new org.postgresql.Driver();
    }

    @Override
    public String quote(String identifier) {
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }

    @Override
    public String columnType(Schema schema, boolean keyColumn) {
        String logical = schema.name();
        if (Decimal.LOGICAL_NAME.equals(logical)) {
            return "numeric";
        }
        if (Date.LOGICAL_NAME.equals(logical)) {
            return "date";
        }
        if (Time.LOGICAL_NAME.equals(logical)) {
            return "time(3)";
        }
        if (Timestamp.LOGICAL_NAME.equals(logical)) {
            return "timestamp(3)";
        }
        return switch (schema.type()) {
            case INT8, INT16 -> "smallint";
            case INT32 -> "integer";
            case INT64 -> "bigint";
            case FLOAT32 -> "real";
            case FLOAT64 -> "double precision";
            case BOOLEAN -> "boolean";
            case STRING -> "text";
            case BYTES -> "bytea";
            default ->
                throw new IllegalArgumentException("No PostgreSQL column type for Connect type " + schema.type());
        };
    }

    @Override
    public String lineageColumnType(Lineage.Kind kind, boolean indexed) {
        return switch (kind) {
            case INT64 -> "bigint";
            case TIMESTAMP -> "timestamptz";
            default -> {
                // The source key is canonical JSON, looked up and ordered by the reconciler: byte order compares it
                // without the cost of a linguistic collation, and it has no linguistic order anyway.
                yield indexed ? "text COLLATE \"C\"" : "text";
            }
        };
    }

    @Override
    public String catalogFor(Connection connection, TableId table) {
        return null;
    }

    @Override
    public String schemaFor(Connection connection, TableId table) {
        return table.schema() == null ? "public" : table.schema();
    }

    /** PostgreSQL takes at most 65535 parameters per statement; more rows per statement stop paying off early. */
    @Override
    public int maxRowsPerUpsert(int columnsPerRow) {
        return Math.max(1, Math.min(500, 60_000 / Math.max(1, columnsPerRow)));
    }

    @Override
    public String versionGuardedUpsert(
            TableId table, List<String> keyColumns, List<String> columns, String versionColumn) {
        return versionGuardedUpsert(table, keyColumns, columns, versionColumn, 1);
    }

    @Override
    public String versionGuardedUpsert(
            TableId table, List<String> keyColumns, List<String> columns, String versionColumn, int rows) {
        String target = quote(table);
        String updates = columns.stream()
                .filter(c -> !keyColumns.contains(c))
                .map(c -> quote(c) + " = EXCLUDED." + quote(c))
                .collect(Collectors.joining(", "));
        String row = "(" + placeholders(columns.size()) + ")";
        return "INSERT INTO " + target + " AS t (" + quotedList(columns) + ") VALUES "
                + String.join(", ", Collections.nCopies(rows, row))
                + " ON CONFLICT (" + quotedList(keyColumns) + ") DO UPDATE SET "
                + updates + " WHERE t." + quote(versionColumn) + " IS NULL OR t." + quote(versionColumn)
                + " < EXCLUDED." + quote(versionColumn);
    }

    @Override
    public void applyTimeouts(Properties properties, long connectMillis, long socketMillis, long statementMillis) {
        // The driver counts these in whole seconds; a bound below a second would otherwise become none.
        properties.setProperty("connectTimeout", Long.toString(seconds(connectMillis)));
        properties.setProperty("loginTimeout", Long.toString(seconds(connectMillis)));
        properties.setProperty("socketTimeout", Long.toString(seconds(socketMillis)));
        if (statementMillis > 0) {
            properties.setProperty("options", "-c statement_timeout=" + statementMillis);
        }
    }

    private static long seconds(long millis) {
        return millis <= 0 ? 0 : Math.max(1, (millis + 999) / 1000);
    }

    @Override
    public String identityColumn() {
        return "BIGINT GENERATED BY DEFAULT AS IDENTITY";
    }

    @Override
    public String upsert(TableId table, List<String> keyColumns, List<String> columns) {
        return "INSERT INTO " + quote(table) + " (" + quotedList(columns) + ") VALUES (" + placeholders(columns.size())
                + ") ON CONFLICT (" + quotedList(keyColumns) + ") DO UPDATE SET "
                + columns.stream()
                        .filter(c -> !keyColumns.contains(c))
                        .map(c -> quote(c) + " = EXCLUDED." + quote(c))
                        .collect(Collectors.joining(", "));
    }

    @Override
    public String nextValue(TableId sequence) {
        // nextval takes the sequence as a regclass literal; the quoted name keeps its case and cannot break out.
        return "SELECT nextval('" + quote(sequence).replace("'", "''") + "'::regclass)";
    }

    @Override
    public Optional<String> currentTransactionId() {
        return Optional.of("SELECT txid_current()");
    }

    @Override
    public String versionGuardedDelete(TableId table, List<String> keyColumns, String versionColumn) {
        return "DELETE FROM " + quote(table) + " WHERE " + keyPredicate(keyColumns) + " AND (" + quote(versionColumn)
                + " IS NULL OR " + quote(versionColumn) + " < ?)";
    }

    @Override
    public Optional<String> keyArrayType(ColumnDescription column) {
        return Optional.of(column.typeName());
    }

    @Override
    public String selectByKeyArray(TableId table, String keyColumn, List<String> selected, String condition) {
        return "SELECT " + quotedList(selected) + " FROM " + quote(table) + " WHERE " + quote(keyColumn) + " = ANY (?)"
                + (condition == null ? "" : " AND (" + condition + ")");
    }

    /** A row comparison: PostgreSQL turns it into one index range, with each value bound once. */
    @Override
    public String tupleAfter(List<String> columns, boolean inclusive) {
        if (columns.size() == 1) {
            return quote(columns.get(0)) + (inclusive ? " >= ?" : " > ?");
        }
        return "(" + quotedList(columns) + ") " + (inclusive ? ">=" : ">") + " ("
                + String.join(", ", Collections.nCopies(columns.size(), "?")) + ")";
    }

    @Override
    public int[] tupleParameterOrder(int columns, boolean inclusive) {
        int[] order = new int[columns];
        for (int i = 0; i < columns; i++) {
            order[i] = i;
        }
        return order;
    }

    private String quotedList(List<String> columns) {
        return columns.stream().map(this::quote).collect(Collectors.joining(", "));
    }

    private String keyPredicate(List<String> keyColumns) {
        return keyColumns.stream().map(c -> quote(c) + " = ?").collect(Collectors.joining(" AND "));
    }

    private static String placeholders(int count) {
        return String.join(", ", Collections.nCopies(count, "?"));
    }
}
