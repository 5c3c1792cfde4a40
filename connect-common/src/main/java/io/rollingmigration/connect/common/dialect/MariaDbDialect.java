package io.rollingmigration.connect.common.dialect;

import io.rollingmigration.connect.common.lineage.Lineage;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Properties;
import java.util.stream.Collectors;
import org.apache.kafka.connect.data.Date;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Time;
import org.apache.kafka.connect.data.Timestamp;

/**
 * MariaDB and MySQL: {@code INSERT ... ON DUPLICATE KEY UPDATE} with every assignment guarded by the version,
 * byte order through {@code BINARY} comparison.
 */
public final class MariaDbDialect implements SqlDialect {

    /** The binary log's event headers carry whole seconds, and Debezium's {@code ts_ms} comes from them. */
    @Override
    public Duration changeLogCommitResolution() {
        return Duration.ofSeconds(1);
    }

    @Override
    public String name() {
        return "mariadb";
    }

    @Override
    public boolean accepts(String jdbcUrl) {
        return jdbcUrl != null && (jdbcUrl.startsWith("jdbc:mariadb:") || jdbcUrl.startsWith("jdbc:mysql:"));
    }

    @Override
    public Driver driver() {
        return new org.mariadb.jdbc.Driver();
    }

    @Override
    public String quote(String identifier) {
        return '`' + identifier.replace("`", "``") + '`';
    }

    /** Update counts say whether a row changed (0 for a guarded no-op), as PostgreSQL's do. */
    @Override
    public Properties connectionProperties() {
        Properties properties = new Properties();
        properties.setProperty("useAffectedRows", "true");
        return properties;
    }

    /**
     * MariaDB Connector/J takes both bounds in milliseconds. A statement bound would need a server variable that
     * MariaDB and MySQL name differently ({@code max_statement_time}, {@code max_execution_time}); the socket
     * bound covers a statement that hangs.
     */
    @Override
    public void applyTimeouts(Properties properties, long connectMillis, long socketMillis, long statementMillis) {
        properties.setProperty("connectTimeout", Long.toString(Math.max(0, connectMillis)));
        properties.setProperty("socketTimeout", Long.toString(Math.max(0, socketMillis)));
    }

    @Override
    public boolean upsertMatchesAnyUniqueIndex() {
        return true;
    }

    @Override
    public String columnType(Schema schema, boolean keyColumn) {
        String logical = schema.name();
        if (Decimal.LOGICAL_NAME.equals(logical)) {
            String scale =
                    schema.parameters() == null ? null : schema.parameters().get(Decimal.SCALE_FIELD);
            return "DECIMAL(65," + (scale == null ? "10" : scale) + ")";
        }
        if (Date.LOGICAL_NAME.equals(logical)) {
            return "DATE";
        }
        if (Time.LOGICAL_NAME.equals(logical)) {
            return "TIME(3)";
        }
        if (Timestamp.LOGICAL_NAME.equals(logical)) {
            return "DATETIME(3)";
        }
        return switch (schema.type()) {
            case INT8 -> "TINYINT";
            case INT16 -> "SMALLINT";
            case INT32 -> "INT";
            case INT64 -> "BIGINT";
            case FLOAT32 -> "FLOAT";
            case FLOAT64 -> "DOUBLE";
            case BOOLEAN -> "BOOLEAN";
            case STRING -> {
                // Key columns must be bounded to be indexed.
                yield keyColumn ? "VARCHAR(255)" : "LONGTEXT";
            }
            case BYTES -> keyColumn ? "VARBINARY(255)" : "LONGBLOB";
            default -> throw new IllegalArgumentException("No MariaDB column type for Connect type " + schema.type());
        };
    }

    @Override
    public String lineageColumnType(Lineage.Kind kind, boolean indexed) {
        return switch (kind) {
            case INT64 -> "BIGINT";
            case TIMESTAMP -> "DATETIME(3)";
            default -> {
                // Byte order for the canonical JSON source key, as on PostgreSQL (COLLATE "C").
                yield indexed ? "VARCHAR(768) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin" : "VARCHAR(255)";
            }
        };
    }

    @Override
    public String catalogFor(Connection connection, TableId table) throws SQLException {
        return table.schema() == null ? connection.getCatalog() : table.schema();
    }

    @Override
    public String schemaFor(Connection connection, TableId table) {
        return null;
    }

    @Override
    public String versionGuardedUpsert(
            TableId table, List<String> keyColumns, List<String> columns, String versionColumn) {
        String version = quote(versionColumn);
        String newer = "(" + version + " IS NULL OR " + version + " < VALUES(" + version + "))";
        // MariaDB applies assignments left to right and later ones see earlier results, so the version column,
        // which every guard reads, is assigned last.
        String updates = columns.stream()
                .filter(c -> !keyColumns.contains(c) && !c.equals(versionColumn))
                .map(c -> quote(c) + " = IF(" + newer + ", VALUES(" + quote(c) + "), " + quote(c) + ")")
                .collect(Collectors.joining(", "));
        String versionUpdate = version + " = IF(" + newer + ", VALUES(" + version + "), " + version + ")";
        return "INSERT INTO " + quote(table) + " (" + quotedList(columns) + ") VALUES ("
                + String.join(", ", Collections.nCopies(columns.size(), "?"))
                + ") ON DUPLICATE KEY UPDATE " + (updates.isEmpty() ? "" : updates + ", ") + versionUpdate;
    }

    @Override
    public String identityColumn() {
        return "BIGINT NOT NULL AUTO_INCREMENT";
    }

    @Override
    public String upsert(TableId table, List<String> keyColumns, List<String> columns) {
        return "INSERT INTO " + quote(table) + " (" + quotedList(columns) + ") VALUES ("
                + String.join(", ", Collections.nCopies(columns.size(), "?")) + ") ON DUPLICATE KEY UPDATE "
                + columns.stream()
                        .filter(c -> !keyColumns.contains(c))
                        .map(c -> quote(c) + " = VALUES(" + quote(c) + ")")
                        .collect(Collectors.joining(", "));
    }

    @Override
    public String nextValue(TableId sequence) {
        return "SELECT NEXTVAL(" + quote(sequence) + ")";
    }

    @Override
    public String versionGuardedDelete(TableId table, List<String> keyColumns, String versionColumn) {
        return "DELETE FROM " + quote(table) + " WHERE "
                + keyColumns.stream().map(c -> quote(c) + " = ?").collect(Collectors.joining(" AND "))
                + " AND (" + quote(versionColumn) + " IS NULL OR " + quote(versionColumn) + " < ?)";
    }

    private String quotedList(List<String> columns) {
        return columns.stream().map(this::quote).collect(Collectors.joining(", "));
    }
}
