package io.rollingmigration.connect.sink.writeback;

import io.rollingmigration.connect.common.dialect.ColumnDescription;
import io.rollingmigration.connect.common.dialect.SqlDialect;
import io.rollingmigration.connect.common.dialect.TableDescription;
import io.rollingmigration.connect.common.dialect.Where;
import io.rollingmigration.connect.common.spec.LegacyWrite;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.connect.errors.DataException;

/**
 * Writes translated service changes into their legacy tables, in the caller's transaction and in JDBC batches: per
 * table, deletes (children first), then updates of the rows with those keys (only where the row's version column is
 * older than the new value, where one is declared), then inserts of the rows legacy does not have yet (parents
 * first). Columns the rules keep are left as they are. Each key is written once per batch: the caller keeps the last
 * change of each aggregate.
 */
final class LegacyRowWriter {

    /** How many writes of a batch took effect, and how many legacy refused as older than its row. */
    record Counts(int applied, int stale, int deleted) {}

    private static final int LOOKUP_CHUNK = 500;

    private final SqlDialect dialect;
    private final Map<String, TableDescription> tables;
    /** The legacy tables in write order: parents first. */
    private final List<String> order;

    /**
     * @param tables the legacy tables written, by their name in the spec ({@code schema.table}), parents first
     */
    LegacyRowWriter(SqlDialect dialect, Map<String, TableDescription> tables) {
        this.dialect = dialect;
        this.tables = tables;
        this.order = new ArrayList<>(tables.keySet());
    }

    /** Refuses, before any statement runs, a write legacy could not order: its version column would be null. */
    void check(LegacyWrite write) {
        if (!write.delete() && write.versionColumn() != null && write.values().get(write.versionColumn()) == null) {
            throw new DataException("the version column " + write.versionColumn() + " of " + write.table()
                    + " would be null for service id " + write.targetId() + ", so the change could not be ordered");
        }
    }

    Counts write(Connection connection, List<LegacyWrite> writes) throws SQLException {
        Map<String, List<LegacyWrite>> deletes = new LinkedHashMap<>();
        Map<String, List<LegacyWrite>> upserts = new LinkedHashMap<>();
        for (LegacyWrite write : writes) {
            (write.delete() ? deletes : upserts)
                    .computeIfAbsent(write.table(), t -> new ArrayList<>())
                    .add(write);
        }
        int deleted = 0;
        for (int i = order.size() - 1; i >= 0; i--) {
            deleted += delete(connection, deletes.getOrDefault(order.get(i), List.of()));
        }
        int applied = 0;
        int stale = 0;
        for (String table : order) {
            List<LegacyWrite> batch = upserts.getOrDefault(table, List.of());
            if (batch.isEmpty()) {
                continue;
            }
            List<LegacyWrite> missed = update(connection, batch);
            applied += batch.size() - missed.size();
            Set<List<Object>> present = existing(connection, tables.get(table), missed);
            List<LegacyWrite> absent = new ArrayList<>();
            for (LegacyWrite write : missed) {
                if (!present.contains(keyValues(write))) {
                    absent.add(write);
                } else if (write.values().isEmpty()) {
                    applied++;
                } else {
                    stale++;
                }
            }
            insert(connection, absent);
            applied += absent.size();
        }
        return new Counts(applied, stale, deleted);
    }

    private int delete(Connection connection, List<LegacyWrite> writes) throws SQLException {
        if (writes.isEmpty()) {
            return 0;
        }
        TableDescription table = tables.get(writes.get(0).table());
        List<String> keyColumns = new ArrayList<>(writes.get(0).key().keySet());
        try (PreparedStatement delete = connection.prepareStatement(dialect.deleteWhere(table.table(), keyColumns))) {
            for (LegacyWrite write : writes) {
                bindAll(delete, 1, table, keyColumns, write.key());
                delete.addBatch();
            }
            int done = 0;
            for (int count : delete.executeBatch()) {
                done += count > 0 || count == Statement.SUCCESS_NO_INFO ? 1 : 0;
            }
            return done;
        }
    }

    /** Runs the guarded updates, one JDBC batch per shape of row; returns the writes that updated no row. */
    private List<LegacyWrite> update(Connection connection, List<LegacyWrite> writes) throws SQLException {
        Map<List<String>, List<LegacyWrite>> byShape = new LinkedHashMap<>();
        List<LegacyWrite> missed = new ArrayList<>();
        for (LegacyWrite write : writes) {
            if (write.values().isEmpty()) {
                missed.add(write);
            } else {
                byShape.computeIfAbsent(new ArrayList<>(write.values().keySet()), s -> new ArrayList<>())
                        .add(write);
            }
        }
        for (Map.Entry<List<String>, List<LegacyWrite>> shape : byShape.entrySet()) {
            List<LegacyWrite> batch = shape.getValue();
            LegacyWrite first = batch.get(0);
            TableDescription table = tables.get(first.table());
            List<String> keyColumns = new ArrayList<>(first.key().keySet());
            String sql = dialect.guardedUpdate(table.table(), keyColumns, shape.getKey(), first.versionColumn());
            try (PreparedStatement update = connection.prepareStatement(sql)) {
                for (LegacyWrite write : batch) {
                    int next = bindAll(update, 1, table, shape.getKey(), write.values());
                    next = bindAll(update, next, table, keyColumns, write.key());
                    if (write.versionColumn() != null) {
                        bind(
                                update,
                                next,
                                write.values().get(write.versionColumn()),
                                table.column(write.versionColumn()).orElse(null));
                    }
                    update.addBatch();
                }
                int[] counts = update.executeBatch();
                for (int i = 0; i < counts.length; i++) {
                    if (counts[i] == 0) {
                        missed.add(batch.get(i));
                    }
                }
            }
        }
        return missed;
    }

    /** The keys among these writes' rows that legacy holds. */
    private Set<List<Object>> existing(Connection connection, TableDescription table, List<LegacyWrite> writes)
            throws SQLException {
        Set<List<Object>> present = new HashSet<>();
        if (writes.isEmpty()) {
            return present;
        }
        List<String> keyColumns = new ArrayList<>(writes.get(0).key().keySet());
        if (keyColumns.size() == 1) {
            String column = keyColumns.get(0);
            for (int from = 0; from < writes.size(); from += LOOKUP_CHUNK) {
                List<LegacyWrite> chunk = writes.subList(from, Math.min(writes.size(), from + LOOKUP_CHUNK));
                String sql = dialect.selectWhere(
                        table.table(),
                        keyColumns,
                        Where.in(dialect).oneOf(column, chunk.size()).text());
                try (PreparedStatement select = connection.prepareStatement(sql)) {
                    for (int i = 0; i < chunk.size(); i++) {
                        bind(
                                select,
                                i + 1,
                                chunk.get(i).key().get(column),
                                table.column(column).orElse(null));
                    }
                    try (ResultSet rs = select.executeQuery()) {
                        while (rs.next()) {
                            present.add(List.of(normalised(rs.getObject(1))));
                        }
                    }
                }
            }
            return present;
        }
        try (PreparedStatement select =
                connection.prepareStatement(dialect.selectWhere(table.table(), keyColumns, keyColumns))) {
            for (LegacyWrite write : writes) {
                bindAll(select, 1, table, keyColumns, write.key());
                try (ResultSet rs = select.executeQuery()) {
                    if (rs.next()) {
                        present.add(keyValues(write));
                    }
                }
            }
        }
        return present;
    }

    private void insert(Connection connection, List<LegacyWrite> writes) throws SQLException {
        Map<List<String>, List<LegacyWrite>> byShape = new LinkedHashMap<>();
        for (LegacyWrite write : writes) {
            List<String> columns = new ArrayList<>(write.key().keySet());
            columns.addAll(write.values().keySet());
            columns.addAll(write.insertDefaults().keySet());
            byShape.computeIfAbsent(columns, c -> new ArrayList<>()).add(write);
        }
        for (Map.Entry<List<String>, List<LegacyWrite>> shape : byShape.entrySet()) {
            TableDescription table = tables.get(shape.getValue().get(0).table());
            try (PreparedStatement insert =
                    connection.prepareStatement(dialect.insert(table.table(), shape.getKey()))) {
                for (LegacyWrite write : shape.getValue()) {
                    int index = 1;
                    for (String column : shape.getKey()) {
                        Object value = write.key().containsKey(column)
                                ? write.key().get(column)
                                : write.values().containsKey(column)
                                        ? write.values().get(column)
                                        : write.insertDefaults().get(column);
                        bind(insert, index++, value, table.column(column).orElse(null));
                    }
                    insert.addBatch();
                }
                insert.executeBatch();
            }
        }
    }

    private static List<Object> keyValues(LegacyWrite write) {
        List<Object> values = new ArrayList<>(write.key().size());
        write.key().values().forEach(value -> values.add(normalised(value)));
        return values;
    }

    /** A key value as both JDBC and the translator give it: whole numbers as longs, the rest as text. */
    private static Object normalised(Object value) {
        if (value instanceof Integer || value instanceof Long || value instanceof Short) {
            return ((Number) value).longValue();
        }
        return value == null ? null : value.toString();
    }

    private int bindAll(
            PreparedStatement statement,
            int first,
            TableDescription table,
            List<String> columns,
            Map<String, Object> values)
            throws SQLException {
        int index = first;
        for (String column : columns) {
            bind(statement, index++, values.get(column), table.column(column).orElse(null));
        }
        return index;
    }

    /** A value of the model bound for its column: instants as UTC offsets, text into uuid or json as the column's. */
    private static void bind(PreparedStatement statement, int index, Object value, ColumnDescription column)
            throws SQLException {
        int type = column == null ? Types.OTHER : column.jdbcType();
        if (value == null) {
            statement.setNull(index, type);
        } else if (value instanceof Instant instant) {
            statement.setObject(index, OffsetDateTime.ofInstant(instant, ZoneOffset.UTC));
        } else if (value instanceof String && type == Types.OTHER) {
            statement.setObject(index, value, Types.OTHER);
        } else {
            statement.setObject(index, value);
        }
    }
}
