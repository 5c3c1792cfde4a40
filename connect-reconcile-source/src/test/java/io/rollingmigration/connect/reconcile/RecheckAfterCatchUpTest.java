package io.rollingmigration.connect.reconcile;

import static io.rollingmigration.connect.reconcile.PolicyTables.targetId;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rollingmigration.connect.reconcile.run.Run;
import io.rollingmigration.testsupport.PostgresFixture;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Right after an outage the pipeline applies changes minutes old, and a difference found then is held for twice
 * that lag. Once the pipeline has caught up (no change applied in the last minute was late), it is checked again
 * at once: a run after an outage ends within a minute of the catch-up, not twice the outage after it began.
 */
class RecheckAfterCatchUpTest {

    private static final String T0 = "2026-01-01 10:00:00";
    private static final long OUTAGE_MILLIS = 100_000;
    private static PostgresFixture postgres;
    private PreparedStores stores;

    @BeforeAll
    static void databases() {
        postgres = PostgresFixture.shared();
    }

    @AfterEach
    void close() {
        if (stores != null) {
            stores.close();
        }
    }

    private static String at(long millis) {
        return "to_timestamp(" + millis + " / 1000.0)";
    }

    @Test
    void aDifferenceHeldForTwiceTheOutagesLagIsCheckedAgainOnceThePipelineHasCaughtUp() throws Exception {
        PolicyTables.inLine(postgres, 5, T0);
        long start = System.currentTimeMillis();
        // The sink came back from a 100 s outage and just applied P-1's change, 100 s late; P-2's legacy change is
        // still on its way.
        postgres.execute(
                PostgresFixture.TARGET,
                "UPDATE policy SET lineage_source_committed_at = " + at(start - OUTAGE_MILLIS)
                        + ", lineage_applied_at = " + at(start) + " WHERE policy_id = '" + targetId("P-1") + "'");
        postgres.execute(PostgresFixture.LEGACY, "UPDATE policy SET holder_name = 'Changed' WHERE policy_no = 'P-2'");

        stores = PreparedStores.open(PolicyTables.settings(postgres));
        AtomicLong clock = new AtomicLong(start);
        Run run = stores.fullRun(start, clock::get, new Run.Settings(10, 1000, 600_000, 1000, 0));
        for (int steps = 0; steps < 10 && run.suspects() == 0; steps++) {
            assertTrue(run.step(start).reported().isEmpty());
        }
        assertEquals(1, run.suspects(), "P-2 is held as a suspect, for twice the 100 s lag");

        // Two seconds on, the pipeline delivers P-2's change with a second's lag: it has caught up.
        postgres.execute(
                PostgresFixture.TARGET,
                "UPDATE policy SET holder = 'Changed', lineage_source_committed_at = " + at(start + 1000)
                        + ", lineage_applied_at = " + at(start + 2000) + " WHERE policy_id = '" + targetId("P-2")
                        + "'");
        long finishedAt = -1;
        for (long t = start + 3000; t <= start + 2 * OUTAGE_MILLIS && finishedAt < 0; t += 1000) {
            clock.set(t);
            assertTrue(run.step(t).reported().isEmpty(), "no drift at " + (t - start) + " ms");
            if (t == start + 30_000) {
                assertFalse(run.finished(), "the 100 s lag is still among the last minute's changes: P-2 waits");
            }
            if (run.finished()) {
                finishedAt = t;
            }
        }
        assertTrue(
                finishedAt > 0 && finishedAt - start <= 70_000,
                "the run ends once the late change has left the last minute's window, not after 200 s: "
                        + (finishedAt < 0 ? "not finished" : (finishedAt - start) + " ms"));
        assertEquals(1, run.state().figures().inFlight(), "P-2 was a change in flight, not drift");
    }

    @Test
    void aRowMissingWhileAnotherSinkTaskCatchesUpWaitsForTwiceTheLagItShowsThenIsDriftIfItNeverCame() throws Exception {
        PolicyTables.inLine(postgres, 5, T0);
        postgres.execute(PostgresFixture.LEGACY, PolicyTables.legacyInsert("P-6", "A", 6000, "Holder 6", T0));
        postgres.execute(PostgresFixture.LEGACY, PolicyTables.legacyInsert("P-7", "A", 7000, "Holder 7", T0));
        long start = System.currentTimeMillis();
        stores = PreparedStores.open(PolicyTables.settings(postgres));
        AtomicLong clock = new AtomicLong(start);
        Run run = stores.fullRun(start, clock::get, new Run.Settings(10, 1000, 600_000, 1000, 0));
        for (int steps = 0; steps < 10 && run.suspects() < 2; steps++) {
            assertTrue(run.step(start).reported().isEmpty());
        }
        assertEquals(2, run.suspects(), "P-6 and P-7 are held, for the recheck delay: no lag observed yet");

        // Half a second on, one sink task comes back from an outage and applies P-1's change 30 s late; the task
        // that carries P-6 and P-7 is still waiting to retry.
        postgres.execute(
                PostgresFixture.TARGET,
                "UPDATE policy SET lineage_source_committed_at = " + at(start - 30_000) + ", lineage_applied_at = "
                        + at(start + 500) + " WHERE policy_id = '" + targetId("P-1") + "'");
        List<String> reported = new ArrayList<>();
        for (long t = start + 2000; t <= start + 20_000; t += 1000) {
            clock.set(t);
            run.step(t).reported().forEach(r -> reported.add(r.drift().legacyKey()));
        }
        assertEquals(List.of(), reported, "twice the 30 s lag has not passed since P-6 and P-7 were seen");

        // The other task comes back and lands P-6; P-7 was lost on the way and never comes.
        postgres.execute(PostgresFixture.TARGET, PolicyTables.upsert("P-6", "A", 6000, "Holder 6", T0));
        for (long t = start + 21_000; t <= start + 80_000 && !run.finished(); t += 1000) {
            clock.set(t);
            run.step(t).reported().forEach(r -> reported.add(r.drift().legacyKey()));
        }
        assertTrue(run.finished());
        assertEquals(List.of("{\"policy_no\":\"P-7\"}"), reported, "only the row that never came is drift");
        assertEquals(1, run.state().figures().inFlight(), "P-6 was in flight");
    }
}
