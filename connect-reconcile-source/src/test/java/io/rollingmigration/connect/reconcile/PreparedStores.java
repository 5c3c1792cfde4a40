package io.rollingmigration.connect.reconcile;

import io.rollingmigration.connect.reconcile.drift.OpenDriftSet;
import io.rollingmigration.connect.reconcile.run.Run;
import io.rollingmigration.connect.reconcile.run.RunState;
import io.rollingmigration.connect.reconcile.store.KeyRange;
import io.rollingmigration.connect.reconcile.store.Session;
import java.sql.SQLException;
import java.util.Map;
import java.util.function.LongSupplier;

/** Both stores of a reconciler's settings opened and prepared for comparison, as a task prepares them. */
public final class PreparedStores implements AutoCloseable {

    private final Session legacy;
    private final Session target;
    private final Comparison.Prepared prepared;

    private PreparedStores(Session legacy, Session target, Comparison.Prepared prepared) {
        this.legacy = legacy;
        this.target = target;
        this.prepared = prepared;
    }

    public static PreparedStores open(Map<String, String> settings) throws SQLException {
        ReconcileConfig config = new ReconcileConfig(settings);
        Session legacy = Session.open(config.legacyConnection(), 30);
        try {
            Session target = Session.open(config.targetConnection(), 30);
            try {
                return new PreparedStores(legacy, target, Comparison.of(config).prepare(legacy, target));
            } catch (SQLException | RuntimeException e) {
                target.close();
                throw e;
            }
        } catch (SQLException | RuntimeException e) {
            legacy.close();
            throw e;
        }
    }

    public Comparison.Prepared prepared() {
        return prepared;
    }

    /** A full run over the whole key space from {@code start}, nothing open, on {@code clock}. */
    public Run fullRun(long start, LongSupplier clock, Run.Settings settings) {
        return new Run(
                RunState.begin(null, true, false, 0, null, null, start),
                KeyRange.whole(),
                prepared.legacy(),
                prepared.target(),
                prepared.judge(),
                new OpenDriftSet(),
                settings,
                null,
                clock);
    }

    @Override
    public void close() {
        legacy.close();
        target.close();
    }
}
