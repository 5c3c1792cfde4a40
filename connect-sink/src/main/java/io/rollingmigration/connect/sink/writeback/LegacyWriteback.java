package io.rollingmigration.connect.sink.writeback;

import io.rollingmigration.connect.common.dialect.SqlDialect;
import io.rollingmigration.connect.common.dialect.TableId;
import io.rollingmigration.connect.common.lane.IdMapping;
import io.rollingmigration.connect.common.lane.LaneTransactions;
import io.rollingmigration.connect.common.lineage.Lineage;
import io.rollingmigration.connect.common.spec.LegacyWrite;
import io.rollingmigration.connect.common.spec.WritebackTranslator;
import io.rollingmigration.connect.sink.write.OffsetLedger;
import io.rollingmigration.connect.sink.write.TargetSession;
import io.rollingmigration.connect.sink.write.TransientDatabaseException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.errors.DataException;

/**
 * Writes a batch of the service's changes into legacy in one legacy transaction: each change into every legacy
 * table of the aggregate (parents first, deleted children first), a row the service created under a legacy key
 * drawn for it and recorded in the id mapping, the consumed offsets in the same transaction. Before the commit the
 * transaction's id is recorded in the lanes' log in the service's store, so the forward lane knows the change that
 * comes back as its echo. A change that cannot be translated is handed back as rejected; bad data the database
 * refuses makes the batch go again change by change, so that only the bad ones are rejected.
 */
final class LegacyWriteback {

    /** Told of a change that was not written and why; it goes to the dead letter queue. */
    @FunctionalInterface
    interface Rejects {
        void reject(ServiceChange change, Exception reason);
    }

    record Outcome(int applied, int stale, int deleted, int created) {}

    private final SqlDialect dialect;
    private final TargetSession legacy;
    private final TargetSession service;
    private final List<WritebackTranslator> tables;
    private final LegacyRowWriter writer;
    private final IdMapping idMapping;
    private final ReferencedKeys referencedKeys;
    /** Whether any table's rules read references back: only then is a batch's look-up done ahead. */
    private final boolean readsReferences;

    private final OffsetLedger ledger;
    private final LaneTransactions lanes;
    private final LongSupplier clock;

    private static final String LINEAGE_SOURCE_KEY = Lineage.Field.SOURCE_KEY.column();

    LegacyWriteback(
            SqlDialect dialect,
            TargetSession legacy,
            TargetSession service,
            List<WritebackTranslator> tables,
            LegacyRowWriter writer,
            IdMapping idMapping,
            OffsetLedger ledger,
            LaneTransactions lanes,
            LongSupplier clock) {
        this.dialect = dialect;
        this.legacy = legacy;
        this.service = service;
        this.tables = tables;
        this.writer = writer;
        this.referencedKeys = new ReferencedKeys(dialect);
        this.readsReferences = tables.stream().anyMatch(WritebackTranslator::readsReferences);
        this.idMapping = idMapping;
        this.ledger = ledger;
        this.lanes = lanes;
        this.clock = clock;
    }

    Outcome write(List<ServiceChange> changes, Rejects rejects, Map<TopicPartition, Long> nextOffsets)
            throws TransientDatabaseException {
        try {
            return legacy.batch(db -> writeAll(db, changes, rejects, nextOffsets));
        } catch (TargetSession.RejectedData rejected) {
            int applied = 0, stale = 0, deleted = 0, created = 0;
            for (ServiceChange change : changes) {
                try {
                    Outcome one = legacy.batch(db -> writeAll(db, List.of(change), rejects, Map.of()));
                    applied += one.applied();
                    stale += one.stale();
                    deleted += one.deleted();
                    created += one.created();
                } catch (TargetSession.RejectedData bad) {
                    rejects.reject(change, new DataException("legacy refused the write: " + bad.getMessage(), bad));
                }
            }
            legacy.transaction(db -> {
                ledger.record(db, nextOffsets);
                return null;
            });
            return new Outcome(applied, stale, deleted, created);
        }
    }

    private Outcome writeAll(
            Connection db, List<ServiceChange> batch, Rejects rejects, Map<TopicPartition, Long> nextOffsets)
            throws SQLException {
        WritebackTranslator primary = tables.get(0);
        List<ServiceChange> changes = lastOfEachAggregate(primary, batch);
        Map<String, Map<String, Object>> known = knownKeys(db, primary, changes);
        lookUpReferences(db, changes, known);
        List<LegacyWrite> writes = new ArrayList<>();
        int created = 0;
        for (ServiceChange change : changes) {
            try {
                String targetId = targetId(primary, change);
                Map<String, Object> canonical = known.get(targetId);
                if (canonical == null && change.delete()) {
                    if (!change.before().containsKey(LINEAGE_SOURCE_KEY)) {
                        throw new DataException("The service deleted " + primary.keyField() + " " + targetId
                                + ", but the row before the delete names neither its legacy key nor its lineage: set "
                                + "REPLICA IDENTITY FULL on the service's table");
                    }
                    continue; // a row the service created and deleted before legacy ever held it
                }
                List<LegacyWrite> translated = translate(db, change, canonical);
                translated.forEach(writer::check);
                if (canonical == null) {
                    LegacyWrite first = translated.get(0);
                    idMapping.record(db, primary.mappingId(first.key()), targetId);
                    known.put(targetId, primary.canonicalKey(first.key()));
                    created++;
                }
                writes.addAll(translated);
            } catch (DataException e) {
                rejects.reject(change, e);
            }
        }
        LegacyRowWriter.Counts counts = writer.write(db, writes);
        ledger.record(db, nextOffsets);
        long transactionId = LaneTransactions.currentTransactionId(db, dialect);
        try {
            service.transaction(serviceDb -> {
                lanes.record(serviceDb, LaneTransactions.Lane.WRITEBACK, transactionId, clock.getAsLong());
                return null;
            });
        } catch (TransientDatabaseException e) {
            // Without the record the change would come back as a stray legacy write: the batch waits for the store.
            throw new SQLException(
                    "Cannot record the write-back's transaction in the service's store: " + e.getMessage(), "08006", e);
        }
        return new Outcome(counts.applied(), counts.stale(), counts.deleted(), created);
    }

    /**
     * The last change of each aggregate in the batch, in batch order: every change carries the whole row, so the last
     * one is the row's state, and each legacy key is written once.
     */
    private static List<ServiceChange> lastOfEachAggregate(WritebackTranslator primary, List<ServiceChange> changes) {
        Map<Object, ServiceChange> last = new LinkedHashMap<>();
        List<ServiceChange> withoutId = new ArrayList<>();
        for (ServiceChange change : changes) {
            Object id = change.row().get(primary.keyField());
            if (id == null) {
                withoutId.add(change);
            } else {
                last.remove(id);
                last.put(id, change);
            }
        }
        List<ServiceChange> kept = new ArrayList<>(withoutId);
        kept.addAll(last.values());
        return kept;
    }

    /** One write per legacy table, parents first; for a delete children first. A new row draws its key here. */
    private List<LegacyWrite> translate(Connection db, ServiceChange change, Map<String, Object> canonical)
            throws SQLException {
        List<LegacyWrite> writes = new ArrayList<>(tables.size());
        Map<String, Object> key = canonical;
        for (WritebackTranslator table : tables) {
            LegacyWrite write = table.translate(
                    change.after(), change.before(), change.op(), key == null ? null : table.columnKey(key));
            if (!write.references().isEmpty()) {
                write = withReferencedKeys(db, write);
            }
            if (!write.keyKnown()) {
                write = withDrawnKey(db, write);
            }
            if (key == null) {
                key = new LinkedHashMap<>(table.canonicalKey(write.key()));
            } else {
                key.putAll(table.canonicalKey(write.key()));
            }
            writes.add(write);
        }
        if (change.delete()) {
            Collections.reverse(writes);
        }
        return writes;
    }

    /** The write with each reference's column set to the referenced legacy row's key. */
    private LegacyWrite withReferencedKeys(Connection db, LegacyWrite write) throws SQLException {
        Map<LegacyWrite.Reference, Map<String, Object>> keys =
                referencedKeys.resolve(db, write.references().values());
        Map<String, Object> values = new LinkedHashMap<>();
        for (Map.Entry<String, LegacyWrite.Reference> entry : write.references().entrySet()) {
            LegacyWrite.Reference reference = entry.getValue();
            Map<String, Object> key = keys.get(reference);
            if (key == null) {
                throw new DataException("Legacy column " + write.table() + "." + entry.getKey() + " of service id "
                        + write.targetId() + ": the referenced id " + reference.id() + " is the UUIDv5 of no key of "
                        + "legacy table " + reference.table() + "; a referenced aggregate the service created must "
                        + "be written back before what references it");
            }
            values.put(entry.getKey(), key.get(reference.keyName()));
        }
        return write.withReferences(values);
    }

    /**
     * Looks up, in one scan per referenced table, every reference the batch's changes make that is not known yet,
     * so that the changes then find theirs in the cache. The translation is done again for each change; it reads
     * nothing but the change.
     */
    private void lookUpReferences(Connection db, List<ServiceChange> changes, Map<String, Map<String, Object>> known)
            throws SQLException {
        if (!readsReferences) {
            return;
        }
        List<LegacyWrite.Reference> references = new ArrayList<>();
        WritebackTranslator primary = tables.get(0);
        for (ServiceChange change : changes) {
            if (change.delete()) {
                continue;
            }
            Object id = change.row().get(primary.keyField());
            Map<String, Object> key = id == null ? null : known.get(id.toString());
            for (WritebackTranslator table : tables) {
                try {
                    references.addAll(table.translate(
                                    change.after(),
                                    change.before(),
                                    change.op(),
                                    key == null ? null : table.columnKey(key))
                            .references()
                            .values());
                } catch (DataException e) {
                    // Reported when the change itself is translated.
                }
            }
        }
        if (!references.isEmpty()) {
            referencedKeys.resolve(db, references);
        }
    }

    private LegacyWrite withDrawnKey(Connection db, LegacyWrite write) throws SQLException {
        Map<String, Object> key = new LinkedHashMap<>(write.key());
        for (Map.Entry<String, String> sequence : write.sequences().entrySet()) {
            try (PreparedStatement next = db.prepareStatement(dialect.nextValue(TableId.parse(sequence.getValue())));
                    ResultSet rs = next.executeQuery()) {
                rs.next();
                key.put(sequence.getKey(), rs.getLong(1));
            }
        }
        return new LegacyWrite(
                write.table(),
                write.targetId(),
                write.delete(),
                key,
                Map.of(),
                write.values(),
                write.kept(),
                write.insertDefaults(),
                write.versionColumn(),
                write.partition(),
                write.references());
    }

    /** The legacy key of each aggregate that has one: from the forward lane's lineage, else the id mapping. */
    private Map<String, Map<String, Object>> knownKeys(
            Connection db, WritebackTranslator primary, List<ServiceChange> changes) throws SQLException {
        Map<String, Map<String, Object>> known = new HashMap<>();
        List<String> unknown = new ArrayList<>();
        for (ServiceChange change : changes) {
            Object id = change.row().get(primary.keyField());
            if (id == null) {
                continue;
            }
            primary.keyFromLineage(change.lineageSourceKey())
                    .ifPresentOrElse(
                            key -> known.put(id.toString(), primary.canonicalKey(key)),
                            () -> unknown.add(id.toString()));
        }
        if (!unknown.isEmpty()) {
            idMapping
                    .legacyIds(db, unknown)
                    .forEach((targetId, legacyId) -> primary.keyFromMapping(legacyId)
                            .ifPresent(key -> known.put(targetId, primary.canonicalKey(key))));
        }
        return known;
    }

    private static String targetId(WritebackTranslator primary, ServiceChange change) {
        Object id = change.row().get(primary.keyField());
        if (id == null) {
            throw new DataException("The service's change has no " + primary.keyField() + " (the "
                    + (change.delete()
                            ? "row before a delete carries only what the table's replica identity "
                                    + "gives: set REPLICA IDENTITY FULL on the service's table)"
                            : "aggregate's id)"));
        }
        return id.toString();
    }
}
