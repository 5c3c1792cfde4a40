package io.rollingmigration.connect.sink.writeback;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.rollingmigration.connect.common.dialect.SqlDialect;
import io.rollingmigration.connect.common.dialect.TableId;
import io.rollingmigration.connect.common.lineage.SourceKey;
import io.rollingmigration.connect.common.spec.LegacyWrite.Reference;
import io.rollingmigration.connect.common.spec.Uuid5;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The legacy keys behind other aggregates' ids. The service knows a referenced aggregate only by its UUIDv5 (the
 * forward spec's {@code ref}), which cannot be reversed: the referenced legacy table's keys are read, each one's
 * UUIDv5 computed the way the forward spec makes it, until every id a batch asks for is found. Found keys are
 * cached, so a scan is paid once per id not seen before, and one scan answers every new id of a batch.
 */
final class ReferencedKeys {

    private static final int FETCH_SIZE = 10_000;

    private final SqlDialect dialect;
    private final Cache<Lookup, Map<String, Object>> found =
            Caffeine.newBuilder().maximumSize(200_000).build();

    /** One id of one referenced table. */
    private record Lookup(String table, UUID namespace, List<String> keyNames, UUID id) {}

    ReferencedKeys(SqlDialect dialect) {
        this.dialect = dialect;
    }

    /**
     * The referenced key of each reference that names an existing legacy row, by reference; ids that are not
     * UUIDs or name no row are absent. Reads in the caller's legacy transaction.
     */
    Map<Reference, Map<String, Object>> resolve(Connection db, Collection<Reference> references) throws SQLException {
        Map<Reference, Map<String, Object>> resolved = new HashMap<>();
        Map<Lookup, Set<Reference>> missing = new LinkedHashMap<>();
        for (Reference reference : references) {
            UUID id;
            try {
                id = UUID.fromString(reference.id());
            } catch (IllegalArgumentException e) {
                continue;
            }
            Lookup lookup = new Lookup(reference.table(), reference.namespace(), reference.keyNames(), id);
            Map<String, Object> key = found.getIfPresent(lookup);
            if (key != null) {
                resolved.put(reference, key);
            } else {
                missing.computeIfAbsent(lookup, l -> new HashSet<>()).add(reference);
            }
        }
        Map<TableOf, Set<UUID>> byTable = new LinkedHashMap<>();
        missing.keySet()
                .forEach(lookup -> byTable.computeIfAbsent(
                                new TableOf(lookup.table(), lookup.namespace(), lookup.keyNames()),
                                t -> new HashSet<>())
                        .add(lookup.id()));
        for (Map.Entry<TableOf, Set<UUID>> table : byTable.entrySet()) {
            scan(db, table.getKey(), table.getValue());
        }
        missing.forEach((lookup, waiting) -> {
            Map<String, Object> key = found.getIfPresent(lookup);
            if (key != null) {
                waiting.forEach(reference -> resolved.put(reference, key));
            }
        });
        return resolved;
    }

    private record TableOf(String table, UUID namespace, List<String> keyNames) {}

    private void scan(Connection db, TableOf table, Set<UUID> wanted) throws SQLException {
        Set<UUID> left = new HashSet<>(wanted);
        byte[] namespace = Uuid5.bytes(table.namespace());
        try (PreparedStatement select = db.prepareStatement(
                dialect.selectWhere(TableId.parse(table.table()), table.keyNames(), (String) null))) {
            select.setFetchSize(FETCH_SIZE);
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next() && !left.isEmpty()) {
                    Map<String, Object> key = new LinkedHashMap<>();
                    for (int i = 0; i < table.keyNames().size(); i++) {
                        key.put(table.keyNames().get(i), rs.getObject(i + 1));
                    }
                    UUID id = Uuid5.of(namespace, SourceKey.of(key));
                    if (left.remove(id)) {
                        found.put(new Lookup(table.table(), table.namespace(), table.keyNames(), id), key);
                    }
                }
            }
        }
    }
}
