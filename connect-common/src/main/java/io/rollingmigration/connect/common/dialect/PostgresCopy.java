package io.rollingmigration.connect.common.dialect;

import java.io.IOException;
import java.io.Reader;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.postgresql.PGConnection;

/** PostgreSQL's bulk path: {@code COPY ... FROM STDIN} in text format into a temporary table, then a guarded merge. */
final class PostgresCopy implements StagedWrites {

    private static final DateTimeFormatter DATE =
            DateTimeFormatter.ofPattern("yyyy-MM-dd").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("HH:mm:ss.SSS").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter TIMESTAMP =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS").withZone(ZoneOffset.UTC);
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private final PostgresDialect dialect;

    PostgresCopy(PostgresDialect dialect) {
        this.dialect = dialect;
    }

    @Override
    public String createStage(String stage, TableId target, List<String> columns) {
        // CREATE TABLE AS copies no constraints: markers may leave business columns empty.
        return "CREATE TEMP TABLE IF NOT EXISTS " + dialect.quote(stage) + " ON COMMIT DELETE ROWS AS SELECT "
                + list(columns) + " FROM " + dialect.quote(target) + " WITH NO DATA";
    }

    @Override
    public String mergeStage(
            String stage, TableId target, List<String> keyColumns, List<String> columns, String versionColumn) {
        String version = dialect.quote(versionColumn);
        return "INSERT INTO " + dialect.quote(target) + " AS t (" + list(columns) + ") SELECT " + list(columns)
                + " FROM " + dialect.quote(stage) + " ON CONFLICT (" + list(keyColumns) + ") DO UPDATE SET "
                + columns.stream()
                        .filter(c -> !keyColumns.contains(c))
                        .map(c -> dialect.quote(c) + " = EXCLUDED." + dialect.quote(c))
                        .collect(Collectors.joining(", "))
                + " WHERE t." + version + " IS NULL OR t." + version + " < EXCLUDED." + version;
    }

    @Override
    public void appendValue(StringBuilder row, Object value, Temporal temporal) {
        if (value == null) {
            row.append("\\N");
        } else if (value instanceof Date date) {
            Instant instant = Instant.ofEpochMilli(date.getTime());
            switch (temporal) {
                case DATE:
                    row.append(DATE.format(instant));
                    break;
                case TIME:
                    row.append(TIME.format(instant));
                    break;
                case TIMESTAMP_WITH_ZONE:
                    row.append(TIMESTAMP.format(instant)).append("+00");
                    break;
                default:
                    row.append(TIMESTAMP.format(instant));
            }
        } else if (value instanceof BigDecimal bigDecimal) {
            row.append(bigDecimal.toPlainString());
        } else if (value instanceof Boolean booleanValue) {
            row.append(booleanValue ? 't' : 'f');
        } else if (value instanceof byte[]) {
            row.append("\\\\x");
            for (byte b : (byte[]) value) {
                row.append(HEX[(b >> 4) & 0xF]).append(HEX[b & 0xF]);
            }
        } else if (value instanceof Number) {
            row.append(value);
        } else {
            escape(row, value.toString());
        }
    }

    /** COPY's text format: backslash, tab, newline and carriage return are escaped; nothing else. */
    private static void escape(StringBuilder row, String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '\\':
                    row.append("\\\\");
                    break;
                case '\t':
                    row.append("\\t");
                    break;
                case '\n':
                    row.append("\\n");
                    break;
                case '\r':
                    row.append("\\r");
                    break;
                default:
                    row.append(c);
            }
        }
    }

    @Override
    public char valueSeparator() {
        return '\t';
    }

    @Override
    public char rowSeparator() {
        return '\n';
    }

    @Override
    public long load(Connection connection, String stage, List<String> columns, Supplier<CharSequence> rows)
            throws SQLException {
        try {
            return connection
                    .unwrap(PGConnection.class)
                    .getCopyAPI()
                    .copyIn(
                            "COPY " + dialect.quote(stage) + " (" + list(columns) + ") FROM STDIN",
                            new RowReader(rows));
        } catch (IOException e) {
            throw new SQLException("COPY into " + stage + " failed: " + e.getMessage(), "08006", e);
        }
    }

    /** Reads row after row from the supplier, so rows are encoded only as COPY consumes them. */
    private static final class RowReader extends Reader {
        private final Supplier<CharSequence> rows;
        private CharSequence row = "";
        private int position;

        RowReader(Supplier<CharSequence> rows) {
            this.rows = rows;
        }

        @Override
        public int read(char[] buffer, int offset, int length) {
            int read = 0;
            while (read < length) {
                if (position == row.length()) {
                    CharSequence next = rows.get();
                    if (next == null) {
                        return read == 0 ? -1 : read;
                    }
                    row = next;
                    position = 0;
                    continue;
                }
                int n = Math.min(length - read, row.length() - position);
                for (int i = 0; i < n; i++) {
                    buffer[offset + read + i] = row.charAt(position + i);
                }
                position += n;
                read += n;
            }
            return read;
        }

        @Override
        public void close() {}
    }

    @Override
    public Temporal temporalOf(ColumnDescription column) {
        String type = column.typeName() == null ? "" : column.typeName().toLowerCase(Locale.ROOT);
        if (type.equals("timestamptz")) {
            return Temporal.TIMESTAMP_WITH_ZONE;
        }
        if (type.startsWith("timestamp")) {
            return Temporal.TIMESTAMP;
        }
        if (type.equals("date")) {
            return Temporal.DATE;
        }
        if (type.startsWith("time")) {
            return Temporal.TIME;
        }
        return Temporal.NONE;
    }

    private String list(List<String> columns) {
        return columns.stream().map(dialect::quote).collect(Collectors.joining(", "));
    }
}
