package io.rollingmigration.connect.smt.predicate;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rollingmigration.connect.smt.lineage.DebeziumEventsAccess;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.Test;

class PredicatesTest {

    private static final SourceRecord TOMBSTONE = new SourceRecord(Map.of(), Map.of(), "t", 0, null, null, null, null);

    @Test
    void isSnapshotTellsBackfillFromLiveChanges() {
        IsSnapshot<SourceRecord> snapshot = new IsSnapshot<>();
        snapshot.configure(Map.of());

        assertTrue(snapshot.test(DebeziumEventsAccess.snapshotRead(1)));
        assertFalse(snapshot.test(DebeziumEventsAccess.update(1, "a", "b")));
        assertFalse(snapshot.test(TOMBSTONE));
    }

    @Test
    void operationIsMatchesTheConfiguredOperations() {
        OperationIs<SourceRecord> deletes = new OperationIs<>();
        deletes.configure(Map.of("operations", "delete, Update"));

        assertTrue(deletes.test(DebeziumEventsAccess.delete(1)));
        assertTrue(deletes.test(DebeziumEventsAccess.update(1, "a", "b")));
        assertFalse(deletes.test(DebeziumEventsAccess.snapshotRead(1)));
        assertFalse(deletes.test(TOMBSTONE));
    }

    @Test
    void unknownOperationsAreRejectedOnTheKey() {
        ConfigException error = assertThrows(
                ConfigException.class, () -> new OperationIs<SourceRecord>().configure(Map.of("operations", "UPSERT")));
        assertTrue(error.getMessage().contains("UPSERT"), error.getMessage());
    }

    @Test
    void everyConfigKeyIsDocumentedInTheOperatorGuide() throws Exception {
        String guide =
                Files.readString(Paths.get("").toAbsolutePath().getParent().resolve("docs/connect-smt.md"));
        for (String key : OperationIs.CONFIG_DEF.names()) {
            assertTrue(guide.contains("`" + key + "`"), "docs/connect-smt.md documents `" + key + "`");
        }
    }
}
