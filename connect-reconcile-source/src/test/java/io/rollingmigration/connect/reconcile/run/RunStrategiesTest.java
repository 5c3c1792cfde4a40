package io.rollingmigration.connect.reconcile.run;

import static io.rollingmigration.connect.reconcile.PolicyTables.sourceKey;
import static io.rollingmigration.connect.reconcile.PolicyTables.targetId;
import static io.rollingmigration.connect.reconcile.PolicyTables.upsert;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.rollingmigration.connect.common.compare.Verdict;
import io.rollingmigration.connect.reconcile.Comparison;
import io.rollingmigration.connect.reconcile.PolicyTables;
import io.rollingmigration.connect.reconcile.PreparedStores;
import io.rollingmigration.connect.reconcile.ReconcileConfig;
import io.rollingmigration.connect.reconcile.store.KeyRange;
import io.rollingmigration.testsupport.PostgresFixture;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Each way a run finds rows, on the same forty policies with the same three differences (a changed holder, a row
 * the target lacks, a row only the target has): which rows each strategy reads, which it judges one by one, and
 * what it counts as compared without judging.
 */
class RunStrategiesTest {

    private static final String T0 = "2026-01-01 10:00:00";
    /** When the last run ended, on both sides. */
    private static final String LAST_RUN = "2026-01-01 10:30:00";

    private static final String T1 = "2026-01-01 11:00:00";
    private static final int POLICIES = 40;
    private static PostgresFixture postgres;
    private PreparedStores stores;

    @BeforeAll
    static void databases() {
        postgres = PostgresFixture.shared();
    }

    @BeforeEach
    void threeDifferences() {
        PolicyTables.inLine(postgres, POLICIES, T0);
        postgres.execute(
                PostgresFixture.TARGET,
                "UPDATE policy SET holder = 'Someone else' WHERE policy_id = '" + targetId("P-7") + "'",
                "DELETE FROM policy WHERE policy_id = '" + targetId("P-9") + "'",
                upsert("P-99", "A", 500, "Only in target", T0));
    }

    @AfterEach
    void close() {
        if (stores != null) {
            stores.close();
        }
    }

    @Test
    void aFullWalkJudgesEveryLegacyRowThenEveryUnpairedTargetRow() throws Exception {
        RunScope scope = scope(fullRun(), false);
        assertInstanceOf(FullWalk.class, RunStrategy.of(scope));

        List<Verdict> judged = sweep(scope);

        assertEquals(POLICIES + 1, judged.size(), "every legacy row, and the target-only row");
        assertEquals(Set.of("P-7", "P-9", "P-99"), differing(judged));
        assertEquals(POLICIES + 1, scope.figures().compared());
        assertEquals(0, scope.figures().matched(), "matches are the run's to count, from the verdicts");
    }

    @Test
    void theBucketDescentJudgesOnlyTheRowsOfDifferingBuckets() throws Exception {
        RunScope scope = scope(fullRun(), true);
        assertInstanceOf(BucketDescent.class, RunStrategy.of(scope));

        List<Verdict> judged = sweep(scope);

        assertEquals(Set.of("P-7", "P-9", "P-99"), differing(judged));
        assertEquals(3, judged.size(), "rows of matching buckets are never read one by one");
        assertEquals(POLICIES + 1, scope.figures().compared());
        assertEquals(POLICIES - 2, scope.figures().matched(), "the matching buckets' rows count as matched");
    }

    @Test
    void anIncrementalWalkJudgesChangedLegacyRowsThenTargetRowsAppliedSince() throws Exception {
        changeSinceTheLastRun();
        RunScope scope = scope(incrementalRun(), false);
        assertInstanceOf(IncrementalWalk.class, RunStrategy.of(scope));

        List<Verdict> judged = sweep(scope);

        assertEquals(List.of("P-3", "P-4", "P-12"), sources(judged), "changed legacy rows first, each key once");
        assertEquals(Set.of("P-3"), differing(judged), "P-7's old difference is not looked at by this run");
        assertEquals(3, scope.figures().compared());
    }

    @Test
    void anIncrementalRunByDigestJudgesOnlyKeysWhoseDigestsDiffer() throws Exception {
        changeSinceTheLastRun();
        RunScope scope = scope(incrementalRun(), true);
        assertInstanceOf(IncrementalByDigest.class, RunStrategy.of(scope));

        List<Verdict> judged = sweep(scope);

        assertEquals(
                List.of("P-3", "P-12"),
                sources(judged),
                "P-4 changed alike on both sides: its digests match; P-12 was applied without a legacy change");
        assertEquals(Set.of("P-3"), differing(judged));
        assertEquals(3, scope.figures().compared());
        assertEquals(1, scope.figures().matched(), "P-4, matched by its digests");
    }

    /** P-3 changes in legacy only, P-4 in both alike, P-12 is re-applied to the target unchanged. */
    private static void changeSinceTheLastRun() {
        postgres.execute(
                PostgresFixture.LEGACY,
                "UPDATE policy SET holder_name = 'New holder', updated_at = '" + T1 + "' WHERE policy_no = 'P-3'",
                "UPDATE policy SET holder_name = 'Moved', updated_at = '" + T1 + "' WHERE policy_no = 'P-4'");
        postgres.execute(
                PostgresFixture.TARGET,
                upsert("P-4", "A", 4000, "Moved", T1),
                "UPDATE policy SET lineage_applied_at = '" + T1 + "+00' WHERE policy_id = '" + targetId("P-12") + "'");
    }

    private static RunState fullRun() {
        return RunState.begin(null, true, true, 0, null, null, System.currentTimeMillis());
    }

    private static RunState incrementalRun() {
        RunState.Completed previous = new RunState.Completed(
                1,
                0,
                1,
                0,
                LocalDateTime.parse(LAST_RUN.replace(' ', 'T')),
                Instant.parse(LAST_RUN.replace(' ', 'T') + "Z"));
        return RunState.begin(previous, false, true, 0, null, null, System.currentTimeMillis());
    }

    private RunScope scope(RunState state, boolean hashPushdown) throws Exception {
        Map<String, String> settings = PolicyTables.settings(postgres);
        settings.put(ReconcileConfig.CHANGE_COLUMN, "updated_at");
        settings.put(ReconcileConfig.HASH_PUSHDOWN, Boolean.toString(hashPushdown));
        stores = PreparedStores.open(settings);
        Comparison.Prepared prepared = stores.prepared();
        RunScope scope = new RunScope(state, KeyRange.whole(), new Run.Settings(7, 0, 0, 1000, 0), prepared.digests());
        scope.attach(prepared.legacy(), prepared.target(), prepared.judge(), prepared.pairing());
        return scope;
    }

    /** Both phases of the strategy, chunk by chunk, as a run drives them; returns every verdict handed over. */
    private static List<Verdict> sweep(RunScope scope) throws Exception {
        RunStrategy strategy = RunStrategy.of(scope);
        List<Verdict> judged = new ArrayList<>();
        for (int chunk = 0; chunk < 100 && scope.state().phase() == Phase.LEGACY; chunk++) {
            strategy.legacyChunk(judged::add);
        }
        for (int chunk = 0; chunk < 100 && scope.state().phase() == Phase.TARGET; chunk++) {
            strategy.targetChunk(judged::add);
        }
        assertEquals(Phase.OPEN_DRIFT, scope.state().phase(), "both phases done");
        return judged;
    }

    private static Set<String> differing(List<Verdict> verdicts) {
        Set<String> policies = new TreeSet<>();
        for (Verdict verdict : verdicts) {
            if (!verdict.matches()) {
                policies.add(policyOf(verdict));
            }
        }
        return policies;
    }

    private static List<String> sources(List<Verdict> verdicts) {
        List<String> policies = new ArrayList<>();
        verdicts.forEach(verdict -> policies.add(policyOf(verdict)));
        return policies;
    }

    private static String policyOf(Verdict verdict) {
        for (int i = 1; i <= 99; i++) {
            if (sourceKey("P-" + i).equals(verdict.sourceKey())) {
                return "P-" + i;
            }
        }
        return verdict.sourceKey();
    }
}
