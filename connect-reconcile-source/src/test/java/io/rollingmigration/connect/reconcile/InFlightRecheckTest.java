package io.rollingmigration.connect.reconcile;

import static io.rollingmigration.connect.reconcile.PolicyTables.targetId;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rollingmigration.connect.reconcile.drift.OpenDriftSet;
import io.rollingmigration.connect.reconcile.run.Run;
import io.rollingmigration.connect.reconcile.run.RunOutput;
import io.rollingmigration.connect.reconcile.run.RunState;
import io.rollingmigration.connect.reconcile.store.KeyRange;
import io.rollingmigration.connect.reconcile.store.Session;
import io.rollingmigration.testsupport.PostgresFixture;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The race behind the false drift under live load (decision 0016): a recheck looks both rows up, then asks how far
 * the pipeline has applied. If the pipeline delivers the change in between, the position says "applied" while the
 * rows looked up still show the difference. The pipeline here acts at exactly that moment, every time: when the
 * reconciler asks the target for its applied position.
 */
class InFlightRecheckTest {

    private static final String T0 = "2026-01-01 10:00:00";
    private static PostgresFixture postgres;
    private Session legacySession;
    private Session targetSession;

    @BeforeAll
    static void databases() {
        postgres = PostgresFixture.shared();
    }

    @AfterEach
    void close() {
        if (legacySession != null) {
            legacySession.close();
            targetSession.close();
        }
    }

    private static String at(long millis) {
        return "to_timestamp(" + millis + " / 1000.0)";
    }

    private Run run(long stepStart, AtomicLong clock, Predicate<String> beforeQuery, Runnable pipeline)
            throws Exception {
        ReconcileConfig config = new ReconcileConfig(PolicyTables.settings(postgres));
        legacySession = Session.open(config.legacyConnection(), 30);
        Connection target = config.targetConnection().open();
        targetSession = Session.over(
                actingBefore(target, beforeQuery, pipeline),
                config.targetConnection().dialect(),
                30);
        Comparison.Prepared prepared = Comparison.of(config).prepare(legacySession, targetSession);
        return new Run(
                RunState.begin(null, true, false, 0, null, null, stepStart),
                KeyRange.whole(),
                prepared.legacy(),
                prepared.target(),
                prepared.judge(),
                new OpenDriftSet(),
                new Run.Settings(10, 1000, 600_000, 1000, 0),
                null,
                clock::get);
    }

    @Test
    void aDeleteAppliedBetweenTheRecheckAndThePositionIsInFlightNotDrift() throws Exception {
        PolicyTables.inLine(postgres, 5, T0);
        long stepStart = System.currentTimeMillis() - 60_000;
        // P-5 was deleted in legacy; the delete has not reached the target.
        postgres.execute(PostgresFixture.LEGACY, "DELETE FROM policy WHERE policy_no = 'P-5'");
        AtomicLong clock = new AtomicLong(stepStart + 1000);
        boolean[] delivered = {false};
        // The pipeline delivers the delete, and a change committed after P-5 was seen missing, the moment the
        // reconciler next asks for the applied position.
        Run run = run(
                stepStart,
                clock,
                sql -> sql.contains("max(")
                        && sql.contains("lineage_source_committed_at")
                        && clock.get() > stepStart + 1000,
                () -> {
                    if (!delivered[0]) {
                        delivered[0] = true;
                        postgres.execute(
                                PostgresFixture.TARGET,
                                "UPDATE policy SET lineage_deleted_at = now(), lineage_source_committed_at = "
                                        + at(stepStart + 500) + ", lineage_applied_at = now() WHERE policy_id = '"
                                        + targetId("P-5") + "'",
                                "UPDATE policy SET lineage_source_committed_at = " + at(stepStart + 1500)
                                        + ", lineage_applied_at = now() WHERE policy_id = '" + targetId("P-1") + "'");
                    }
                });

        List<String> reported = new ArrayList<>();
        for (int steps = 0; steps < 10 && run.suspects() == 0; steps++) {
            collect(run.step(stepStart), reported);
        }
        assertEquals(1, run.suspects(), "P-5 is held as a suspect");
        clock.set(stepStart + 3000);
        for (int steps = 0; steps < 5 && !run.finished(); steps++) {
            collect(run.step(stepStart + 3000), reported);
        }

        assertTrue(delivered[0], "the pipeline acted during the recheck");
        assertEquals(List.of(), reported, "the delete arrived: in flight, not drift");
        assertEquals(1, run.figures().inFlight());
    }

    @Test
    void anUpdateDeliveredBetweenTheTwoLookupsOfARecheckIsInFlightNotDrift() throws Exception {
        PolicyTables.inLine(postgres, 5, T0);
        long stepStart = System.currentTimeMillis() - 60_000;
        // P-3 changed in legacy; the change has not reached the target.
        postgres.execute(
                PostgresFixture.LEGACY,
                "UPDATE policy SET holder_name = 'Second', updated_at = " + at(stepStart + 200)
                        + " WHERE policy_no = 'P-3'");
        AtomicLong clock = new AtomicLong(stepStart + 1000);
        boolean[] delivered = {false};
        // While the recheck reads the target, legacy changes P-3 again, and the pipeline delivers that newer change
        // at once: the legacy row read a moment before is older than the target row now read.
        Run run = run(
                stepStart,
                clock,
                sql -> sql.contains("lineage_source_key")
                        && (sql.contains("ANY (?)") || sql.contains(" IN ("))
                        && clock.get() > stepStart + 1000,
                () -> {
                    if (!delivered[0]) {
                        delivered[0] = true;
                        postgres.execute(
                                PostgresFixture.LEGACY,
                                "UPDATE policy SET holder_name = 'Third', " + "updated_at = " + at(stepStart + 3100)
                                        + " WHERE policy_no = 'P-3'");
                        postgres.execute(
                                PostgresFixture.TARGET,
                                "UPDATE policy SET holder = 'Third', "
                                        + "updated_at = " + at(stepStart + 3100) + ", lineage_source_committed_at = "
                                        + at(stepStart + 3100) + ", lineage_applied_at = "
                                        + "now() WHERE policy_id = '" + targetId("P-3") + "'");
                    }
                });

        List<String> reported = new ArrayList<>();
        for (int steps = 0; steps < 10 && run.suspects() == 0; steps++) {
            collect(run.step(stepStart), reported);
        }
        assertEquals(1, run.suspects(), "P-3 is held as a suspect");
        clock.set(stepStart + 3000);
        collect(run.step(stepStart + 3000), reported);
        assertTrue(delivered[0], "the pipeline acted during the recheck");
        assertEquals(List.of(), reported, "legacy read before the target: not drift yet");
        clock.set(stepStart + 6000);
        for (int steps = 0; steps < 5 && !run.finished(); steps++) {
            collect(run.step(stepStart + 6000), reported);
        }
        assertEquals(List.of(), reported, "both sides agree once read again");
        assertEquals(1, run.figures().inFlight());
    }

    /** The target connection, running {@code pipeline} before each query the predicate picks. */
    private static Connection actingBefore(Connection connection, Predicate<String> picks, Runnable pipeline) {
        return (Connection) Proxy.newProxyInstance(
                Connection.class.getClassLoader(), new Class<?>[] {Connection.class}, (proxy, method, args) -> {
                    Object result = invoke(connection, method, args);
                    if (method.getName().equals("prepareStatement") && args != null && args[0] instanceof String sql) {
                        PreparedStatement statement = (PreparedStatement) result;
                        return Proxy.newProxyInstance(
                                PreparedStatement.class.getClassLoader(),
                                new Class<?>[] {PreparedStatement.class},
                                (p, m, a) -> {
                                    if (m.getName().equals("executeQuery") && picks.test(sql)) {
                                        pipeline.run();
                                    }
                                    return invoke(statement, m, a);
                                });
                    }
                    return result;
                });
    }

    private static Object invoke(Object target, Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    private static void collect(RunOutput output, List<String> reported) {
        output.reported()
                .forEach(r -> reported.add(r.drift().kind() + " " + r.drift().legacyKey()));
    }
}
