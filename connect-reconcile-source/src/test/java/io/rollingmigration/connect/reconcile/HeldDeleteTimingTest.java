package io.rollingmigration.connect.reconcile;

import static io.rollingmigration.connect.reconcile.PolicyTables.targetId;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rollingmigration.connect.common.drift.DriftKind;
import io.rollingmigration.connect.reconcile.run.Run;
import io.rollingmigration.connect.reconcile.run.RunOutput;
import io.rollingmigration.testsupport.PostgresFixture;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A legacy delete committed while a step's queries run is still on its way once the pipeline has applied changes
 * committed after the step began: the moment a difference is seen is after the queries that showed it.
 */
class HeldDeleteTimingTest {

    private static final String T0 = "2026-01-01 10:00:00";
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
    void aDeleteCommittedWhileTheStepsQueriesRanIsHeldWhileThePipelineMoves() throws Exception {
        PolicyTables.inLine(postgres, 5, T0);
        long stepStart = System.currentTimeMillis();
        // P-5 was deleted in legacy; the delete reached neither Kafka nor the target yet. Meanwhile the pipeline
        // applied a change committed half a second after the step began: the step's queries took a second.
        postgres.execute(PostgresFixture.LEGACY, "DELETE FROM policy WHERE policy_no = 'P-5'");
        postgres.execute(
                PostgresFixture.TARGET,
                "UPDATE policy SET lineage_source_committed_at = "
                        + at(stepStart + 500) + ", lineage_applied_at = " + at(stepStart + 1500)
                        + " WHERE policy_id = '"
                        + targetId("P-1") + "'");

        Map<String, String> settings = PolicyTables.settings(postgres);
        stores = PreparedStores.open(settings);
        AtomicLong clock = new AtomicLong(stepStart + 1000);
        Run run = stores.fullRun(stepStart, clock::get, new Run.Settings(10, 0, 600_000, 1000, 0));

        List<String> reported = new ArrayList<>();
        // Every step of the sweep begins at stepStart; the clock says a second has passed once its queries ran.
        for (int steps = 0; steps < 10 && run.suspects() == 0; steps++) {
            collect(run.step(stepStart), reported);
        }
        assertEquals(1, run.suspects(), "P-5 is held as a suspect");
        // The recheck, two seconds on: the pipeline wrote half a second ago and is moving.
        clock.set(stepStart + 2000);
        collect(run.step(stepStart + 2000), reported);

        assertEquals(
                List.of(),
                reported,
                "the delete is still in flight: the pipeline has applied nothing committed "
                        + "after the moment P-5 was seen missing");
        assertEquals(1, run.suspects());

        // The pipeline goes quiet and the delete never arrives: then it is drift.
        for (long t = stepStart + 5000; t < stepStart + 30_000 && reported.isEmpty(); t += 1000) {
            clock.set(t);
            collect(run.step(t), reported);
        }
        assertTrue(reported.contains(DriftKind.UNEXPECTED_IN_TARGET + " {\"policy_no\":\"P-5\"}"), reported.toString());
    }

    @Test
    void aDeleteDuringTheBackfillIsHeldWhileThePipelineWritesBeforeItHasAppliedAnyStreamedChange() throws Exception {
        PolicyTables.inLine(postgres, 5, T0);
        long stepStart = System.currentTimeMillis();
        // Every target row is a snapshot row, still being written: the change stream has applied nothing yet, and
        // P-5's legacy delete waits behind the backfill.
        postgres.execute(
                PostgresFixture.TARGET,
                "ALTER TABLE policy ADD COLUMN lineage_operation text",
                "UPDATE policy SET lineage_operation = 'READ', lineage_source_committed_at = " + at(stepStart - 100)
                        + ", lineage_applied_at = " + at(stepStart));
        postgres.execute(PostgresFixture.LEGACY, "DELETE FROM policy WHERE policy_no = 'P-5'");

        stores = PreparedStores.open(PolicyTables.settings(postgres));
        AtomicLong clock = new AtomicLong(stepStart);
        Run run = stores.fullRun(stepStart, clock::get, new Run.Settings(10, 1000, 600_000, 1000, 0));

        List<String> reported = new ArrayList<>();
        for (int steps = 0; steps < 10 && run.suspects() == 0; steps++) {
            collect(run.step(stepStart), reported);
        }
        assertEquals(1, run.suspects(), "P-5 is held as a suspect");
        for (long t = stepStart + 1000; t <= stepStart + 5000; t += 500) {
            // The backfill goes on writing snapshot rows.
            postgres.execute(
                    PostgresFixture.TARGET,
                    "UPDATE policy SET lineage_applied_at = " + at(t) + " WHERE policy_id = '" + targetId("P-1") + "'");
            clock.set(t);
            collect(run.step(t), reported);
        }
        assertEquals(
                List.of(), reported, "no streamed change is applied yet, so nothing says the delete has had its turn");
        assertEquals(1, run.suspects());

        // The backfill ends and nothing more arrives: the delete is not coming, and it is drift.
        for (long t = stepStart + 7000; t < stepStart + 30_000 && reported.isEmpty(); t += 1000) {
            clock.set(t);
            collect(run.step(t), reported);
        }
        assertTrue(reported.contains(DriftKind.UNEXPECTED_IN_TARGET + " {\"policy_no\":\"P-5\"}"), reported.toString());
    }

    @Test
    void aSinkThatPausesForSecondsBetweenBatchesIsNotTakenForAQuietPipeline() throws Exception {
        PolicyTables.inLine(postgres, 5, T0);
        long stepStart = System.currentTimeMillis();
        // The pipeline last wrote as the step began, a second behind the legacy; then its sink pauses, with P-5's
        // delete still on its way.
        postgres.execute(
                PostgresFixture.TARGET,
                "UPDATE policy SET lineage_source_committed_at = " + at(stepStart - 1000) + ", lineage_applied_at = "
                        + at(stepStart) + " WHERE policy_id = '" + targetId("P-1") + "'");
        postgres.execute(PostgresFixture.LEGACY, "DELETE FROM policy WHERE policy_no = 'P-5'");

        stores = PreparedStores.open(PolicyTables.settings(postgres));
        AtomicLong clock = new AtomicLong(stepStart);
        Run run = stores.fullRun(stepStart, clock::get, new Run.Settings(10, 1000, 600_000, 1000, 0));

        List<String> reported = new ArrayList<>();
        for (int steps = 0; steps < 10 && run.suspects() == 0; steps++) {
            collect(run.step(stepStart), reported);
        }
        assertEquals(1, run.suspects(), "P-5 is held as a suspect");
        for (long t = stepStart + 2000; t <= stepStart + 8000; t += 1000) {
            clock.set(t);
            collect(run.step(t), reported);
        }
        assertEquals(List.of(), reported, "eight seconds without a write is a pause, not a pipeline gone quiet");

        for (long t = stepStart + 9000; t < stepStart + 30_000 && reported.isEmpty(); t += 1000) {
            clock.set(t);
            collect(run.step(t), reported);
        }
        assertTrue(reported.contains(DriftKind.UNEXPECTED_IN_TARGET + " {\"policy_no\":\"P-5\"}"), reported.toString());
    }

    @Test
    void aRowDeletedInLegacyWhileItsUpdateWasHeldIsANewChangeOnItsWayNotADeleteThePipelinePassed() throws Exception {
        PolicyTables.inLine(postgres, 5, T0);
        long start = System.currentTimeMillis();
        // P-2's update is on its way when the run first sees it.
        postgres.execute(PostgresFixture.LEGACY, "UPDATE policy SET holder_name = 'Changed' WHERE policy_no = 'P-2'");
        stores = PreparedStores.open(PolicyTables.settings(postgres));
        AtomicLong clock = new AtomicLong(start);
        Run run = stores.fullRun(start, clock::get, new Run.Settings(10, 1000, 600_000, 1000, 0));
        List<String> reported = new ArrayList<>();
        for (int steps = 0; steps < 10 && run.suspects() == 0; steps++) {
            collect(run.step(start), reported);
        }
        assertEquals(1, run.suspects(), "P-2 is held as a suspect");

        // Before its recheck, the legacy application deletes P-2; the pipeline, still moving, has applied changes
        // committed after P-2 was first seen, but not that delete.
        postgres.execute(PostgresFixture.LEGACY, "DELETE FROM policy WHERE policy_no = 'P-2'");
        postgres.execute(
                PostgresFixture.TARGET,
                "UPDATE policy SET lineage_source_committed_at = " + at(start + 1500) + ", lineage_applied_at = "
                        + at(start + 1800) + " WHERE policy_id = '" + targetId("P-1") + "'");
        clock.set(start + 2000);
        collect(run.step(start + 2000), reported);
        assertEquals(
                List.of(),
                reported,
                "the difference is now a delete seen at 2 s, and the pipeline has applied nothing committed since");
        assertEquals(1, run.suspects());

        // The delete arrives: the row was a change in flight all along.
        postgres.execute(PostgresFixture.TARGET, "DELETE FROM policy WHERE policy_id = '" + targetId("P-2") + "'");
        for (long t = start + 3000; t < start + 30_000 && !run.finished(); t += 1000) {
            clock.set(t);
            collect(run.step(t), reported);
        }
        assertTrue(run.finished());
        assertEquals(List.of(), reported);
        assertEquals(1, run.state().figures().inFlight());
    }

    private static void collect(RunOutput output, List<String> reported) {
        output.reported()
                .forEach(r -> reported.add(r.drift().kind() + " " + r.drift().legacyKey()));
    }
}
