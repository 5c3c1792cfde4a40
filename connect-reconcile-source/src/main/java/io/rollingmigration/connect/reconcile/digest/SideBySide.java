package io.rollingmigration.connect.reconcile.digest;

import java.sql.SQLException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Runs one query on each database at once: the target's on a daemon thread of its own (never the common pool, which
 * blocking JDBC calls would starve), the legacy one on the caller's thread. Both have finished when it returns.
 */
public final class SideBySide {

    /** A query on one side. */
    @FunctionalInterface
    public interface Query<T> {
        T run() throws SQLException;
    }

    /** Both sides' results. */
    public record Results<L, T>(L legacy, T target) {}

    private static final ExecutorService TARGET_SIDE = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "reconcile-target-side");
        thread.setDaemon(true);
        return thread;
    });

    private SideBySide() {}

    public static <L, T> Results<L, T> run(Query<L> legacy, Query<T> target) throws SQLException {
        Future<T> targetResult = TARGET_SIDE.submit(target::run);
        L legacyResult;
        try {
            legacyResult = legacy.run();
        } catch (SQLException | RuntimeException e) {
            // Never leave the target query running on its own.
            await(targetResult);
            throw e;
        }
        try {
            return new Results<>(legacyResult, targetResult.get());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            targetResult.cancel(true);
            throw new SQLException("interrupted while the target query ran", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof SQLException) {
                throw (SQLException) e.getCause();
            }
            if (e.getCause() instanceof RuntimeException) {
                throw (RuntimeException) e.getCause();
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    private static void await(Future<?> result) {
        try {
            result.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException ignored) {
            // the legacy side's failure is the one reported
        }
    }
}
