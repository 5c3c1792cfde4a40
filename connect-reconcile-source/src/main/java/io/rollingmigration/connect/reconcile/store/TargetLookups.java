package io.rollingmigration.connect.reconcile.store;

import static io.rollingmigration.connect.reconcile.store.TargetLayout.DELETED_AT;
import static io.rollingmigration.connect.reconcile.store.TargetLayout.SOURCE_KEY;

import io.rollingmigration.connect.common.compare.TargetRow;
import io.rollingmigration.connect.common.dialect.SqlDialect;
import io.rollingmigration.connect.reconcile.digest.DigestPlan;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;

/** Target rows looked up by key, a slice of keys per statement: by their own key, by source key, or their digests. */
final class TargetLookups {

    private final Session session;
    private final SqlDialect dialect;
    private final TargetLayout layout;

    TargetLookups(Session session, TargetLayout layout) {
        this.session = session;
        this.dialect = session.dialect();
        this.layout = layout;
    }

    Map<String, TargetRow> byTargetKeys(Collection<String> targetKeys, int batch) throws SQLException {
        Map<String, TargetRow> found = new HashMap<>();
        Set<String> wanted = new HashSet<>(targetKeys);
        List<List<Object>> keys = new ArrayList<>(wanted.size());
        for (String key : wanted) {
            keys.add(layout.ownKeyValues(key));
        }
        Optional<String> arrayType =
                layout.keyColumns.size() == 1 ? dialect.keyArrayType(layout.ownKey.column(0)) : Optional.empty();
        for (int from = 0; from < keys.size(); from += batch) {
            KeyLookup.Prepared lookup = KeyLookup.prepare(
                    session,
                    layout.table,
                    layout.keyColumns,
                    layout.selected,
                    keys.subList(from, Math.min(keys.size(), from + batch)),
                    arrayType,
                    null,
                    UnaryOperator.identity());
            for (TargetRow row : layout.read(lookup.statement(), true)) {
                if (wanted.contains(row.targetKey())) {
                    found.put(row.targetKey(), row);
                }
            }
        }
        session.endTransaction();
        return found;
    }

    Map<String, List<TargetRow>> bySourceKeys(Collection<String> sourceKeys, int batch) throws SQLException {
        Map<String, List<TargetRow>> found = new HashMap<>();
        Set<String> wanted = new HashSet<>(sourceKeys);
        bySourceKey(wanted, batch, layout.selected, sql -> sql, statement -> {
            for (TargetRow row : layout.read(statement, true)) {
                // Only exact matches: a case-insensitive collation may return look-alike keys.
                if (wanted.contains(row.sourceKey())) {
                    found.computeIfAbsent(row.sourceKey(), k -> new ArrayList<>(1))
                            .add(row);
                }
            }
        });
        return found;
    }

    Map<String, List<Long>> rowDigests(Collection<String> sourceKeys, int batch, DigestPlan plan) throws SQLException {
        Map<String, List<Long>> found = new HashMap<>();
        Set<String> wanted = new HashSet<>(sourceKeys);
        List<String> columns = new ArrayList<>(List.of(SOURCE_KEY));
        if (layout.softDeletes) {
            columns.add(DELETED_AT);
        }
        UnaryOperator<String> withDigest = sql -> plan.withRowDigest(sql, dialect.quote(layout.table), false);
        bySourceKey(wanted, batch, columns, withDigest, statement -> {
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    String sourceKey = rs.getString(1);
                    boolean live = !layout.softDeletes || rs.getObject(2) == null;
                    if (live && wanted.contains(sourceKey)) {
                        found.computeIfAbsent(sourceKey, k -> new ArrayList<>(1))
                                .add(rs.getLong(columns.size() + 1));
                    }
                }
            }
        });
        return found;
    }

    /** Reads the rows of one slice of looked-up keys. */
    @FunctionalInterface
    private interface SliceReader {
        void read(PreparedStatement statement) throws SQLException;
    }

    /** Looks the source keys up a slice of {@code batch} at a time, each slice's statement bound for the reader. */
    private void bySourceKey(
            Set<String> sourceKeys, int batch, List<String> columns, UnaryOperator<String> rewrite, SliceReader reader)
            throws SQLException {
        List<List<Object>> keys = new ArrayList<>(sourceKeys.size());
        sourceKeys.forEach(k -> keys.add(List.of(k)));
        Optional<String> arrayType = dialect.keyArrayType(layout.walkKey.column(0));
        for (int from = 0; from < keys.size(); from += batch) {
            KeyLookup.Prepared lookup = KeyLookup.prepare(
                    session,
                    layout.table,
                    List.of(SOURCE_KEY),
                    columns,
                    keys.subList(from, Math.min(keys.size(), from + batch)),
                    arrayType,
                    layout.sourceTableCondition(dialect),
                    rewrite);
            layout.bindSourceTable(lookup.statement(), lookup.nextParameter());
            reader.read(lookup.statement());
        }
        session.endTransaction();
    }
}
