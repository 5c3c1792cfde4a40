package io.rollingmigration.connect.reconcile;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.rollingmigration.connect.common.dialect.TableId;
import io.rollingmigration.connect.reconcile.store.Session;
import io.rollingmigration.connect.reconcile.store.TargetTable;
import io.rollingmigration.testsupport.PostgresFixture;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * How far the pipeline has applied, as the target's lineage tells it: the legacy commit time of the newest streamed
 * change, found once in the whole table and then among the rows applied since the last look.
 */
class AppliedPositionTest {

    private static PostgresFixture postgres;
    private Session session;
    private TargetTable target;

    @BeforeAll
    static void database() {
        postgres = PostgresFixture.shared();
    }

    @BeforeEach
    void targetWithTwoStreamedChangesAndASnapshotRow() throws Exception {
        postgres.execute(
                PostgresFixture.TARGET,
                "DROP TABLE IF EXISTS account",
                "CREATE TABLE account (id bigint PRIMARY KEY, lineage_source_key text, "
                        + "lineage_source_committed_at timestamptz, lineage_applied_at timestamptz, "
                        + "lineage_operation text)",
                row(1, "2026-01-01 10:00:00", "2026-01-01 10:00:01", "UPDATE"),
                row(2, "2026-01-01 10:02:00", "2026-01-01 10:02:01", "CREATE"),
                // A snapshot row carries the time it was read, not a position in the change stream.
                row(3, "2026-01-01 10:05:00", "2026-01-01 10:05:01", "READ"));
        session = Session.open(new ReconcileConfig(PolicyTables.settings(postgres)).targetConnection(), 30);
        target = TargetTable.describe(session, new TableId("public", "account"), "id", List.of(), null);
    }

    @AfterEach
    void close() {
        session.close();
    }

    @Test
    void thePositionIsTheNewestCommitOfAStreamedChange() throws Exception {
        assertEquals(Instant.parse("2026-01-01T10:02:00Z"), target.appliedPosition());
    }

    @Test
    void thePositionMovesWithEveryChangeAppliedSinceTheLastLook() throws Exception {
        target.appliedPosition();
        postgres.execute(PostgresFixture.TARGET, row(4, "2026-01-01 10:03:00", "2026-01-01 10:06:00", "UPDATE"));
        assertEquals(Instant.parse("2026-01-01T10:03:00Z"), target.appliedPosition());

        // A sink transaction that commits after rows stamped later is still read, within the allowance for it.
        postgres.execute(PostgresFixture.TARGET, row(5, "2026-01-01 10:04:00", "2026-01-01 10:05:55", "UPDATE"));
        assertEquals(Instant.parse("2026-01-01T10:04:00Z"), target.appliedPosition());
    }

    @Test
    void laterLooksReadOnlyRecentlyAppliedRowsAndThePositionNeverMovesBack() throws Exception {
        target.appliedPosition();
        // Stamped long before the last look: not read again, which can only make the position look older.
        postgres.execute(PostgresFixture.TARGET, row(6, "2026-01-01 11:00:00", "2026-01-01 09:00:00", "UPDATE"));
        postgres.execute(PostgresFixture.TARGET, "DELETE FROM account WHERE id = 2");

        assertEquals(Instant.parse("2026-01-01T10:02:00Z"), target.appliedPosition());
    }

    private static String row(long id, String committedAt, String appliedAt, String operation) {
        return "INSERT INTO account VALUES (" + id + ", '{\"id\":" + id + "}', '" + committedAt + "+00', '" + appliedAt
                + "+00', '" + operation + "')";
    }
}
