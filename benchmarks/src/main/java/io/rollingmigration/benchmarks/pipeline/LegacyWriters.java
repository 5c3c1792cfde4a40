package io.rollingmigration.benchmarks.pipeline;

import io.rollingmigration.testsupport.PostgresFixture;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * The legacy application under load: several JDBC connections, each committing transactions of a few inserts and
 * updates on a fixed schedule (open loop: a writer that falls behind does not wait, so a slow pipeline cannot slow
 * the offered load down, and a generator that cannot keep up shows as a shortfall, not as lag).
 *
 * <p>Inserts take new keys; updates walk once round the pre-existing keys, so within one step no key changes twice.
 */
final class LegacyWriters implements AutoCloseable {

    private static final String INSERT = "INSERT INTO " + LegacyAccounts.TABLE + " (id, kind, holder, status, "
            + "balance, credit_limit, opened_on, updated_at, email, fax, region, version, step, written_us) "
            + "VALUES (?, ?, ?, 'A', ?, 5000.00, ?, localtimestamp, ?, ?, ?, 1, ?, " + LegacyAccounts.CLOCK_US + ")";
    private static final String UPDATE = "UPDATE " + LegacyAccounts.TABLE + " SET status = ?, balance = balance + ?, "
            + "updated_at = localtimestamp, version = version + 1, step = ?, written_us = " + LegacyAccounts.CLOCK_US
            + " WHERE id = ?";
    private static final String[] STATUSES = {"A", "S", "C"};
    private static final String[] REGIONS = {"EU", "US", "APAC"};
    private static final LocalDate OPENED = LocalDate.of(2020, 1, 1);

    private final List<Writer> writers = new ArrayList<>();
    private final ExecutorService threads;
    private final int rowsPerTransaction;
    private final double insertShare;
    private final long updatableKeys;
    private final AtomicLong nextNewKey;
    private final AtomicLong updateCursor = new AtomicLong();

    LegacyWriters(PostgresFixture postgres, Plan plan, LegacyAccounts accounts) throws SQLException {
        this.rowsPerTransaction = plan.rowsPerTransaction();
        this.insertShare = plan.insertShare();
        this.updatableKeys = accounts.updatableKeys();
        this.nextNewKey = new AtomicLong(accounts.nextNewKey());
        this.threads = Executors.newFixedThreadPool(plan.writers(), r -> {
            Thread thread = new Thread(r, "legacy-writer");
            thread.setDaemon(true);
            return thread;
        });
        for (int i = 0; i < plan.writers(); i++) {
            writers.add(new Writer(postgres.connect(accounts.database()), 42 + i));
        }
    }

    /** Offers {@code changesPerSecond} for {@code length}, every change stamped with {@code step}. */
    StepLoad drive(int step, int changesPerSecond, Duration length) throws Exception {
        long interval = Math.round(1e9 * rowsPerTransaction * writers.size() / changesPerSecond);
        long start = System.nanoTime();
        long end = start + length.toNanos();
        List<Future<long[]>> running = new ArrayList<>();
        for (int i = 0; i < writers.size(); i++) {
            Writer writer = writers.get(i);
            long firstDue = start + interval * i / writers.size();
            running.add(threads.submit(() -> writer.run(step, firstDue, interval, end)));
        }
        long changes = 0;
        long lastCommit = start;
        for (Future<long[]> writer : running) {
            long[] done = writer.get();
            changes += done[0];
            lastCommit = Math.max(lastCommit, done[1]);
        }
        double seconds = Math.max(length.toNanos(), lastCommit - start) / 1e9;
        return new StepLoad(changesPerSecond, changes, seconds);
    }

    @Override
    public void close() {
        threads.shutdownNow();
        for (Writer writer : writers) {
            writer.close();
        }
    }

    /** What one step offered and what the generator actually committed. */
    record StepLoad(int offeredRate, long changes, double seconds) {
        double achievedRate() {
            return changes / seconds;
        }

        boolean reachedOffered() {
            return achievedRate() >= offeredRate * Plan.GENERATOR_TOLERANCE;
        }
    }

    /** One legacy connection with its statements, writing on its own schedule. */
    private final class Writer {
        private final Connection connection;
        private final PreparedStatement insert;
        private final PreparedStatement update;
        private final SplittableRandom random;

        Writer(Connection connection, long seed) throws SQLException {
            this.connection = connection;
            // The fixture turns synchronous commit off for speed, but then the walsender may only ship a commit
            // once the WAL writer gets round to flushing it (up to 3 x 200 ms later): latency no production legacy
            // database adds. The change's lag starts at a commit that has been flushed, as in production.
            try (var session = connection.createStatement()) {
                session.execute("SET synchronous_commit = on");
            }
            connection.setAutoCommit(false);
            this.insert = connection.prepareStatement(INSERT);
            this.update = connection.prepareStatement(UPDATE);
            this.random = new SplittableRandom(seed);
        }

        /** Returns the changes committed and the time of the last commit. */
        long[] run(int step, long firstDue, long interval, long end) throws SQLException {
            long changes = 0;
            long lastCommit = firstDue;
            for (long due = firstDue; due < end; due += interval) {
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                } else if (System.nanoTime() >= end) {
                    break;
                }
                changes += transaction(step);
                lastCommit = System.nanoTime();
            }
            return new long[] {changes, lastCommit};
        }

        private int transaction(int step) throws SQLException {
            boolean inserted = false;
            boolean updated = false;
            for (int i = 0; i < rowsPerTransaction; i++) {
                if (random.nextDouble() < insertShare) {
                    long id = nextNewKey.getAndIncrement();
                    insert.setLong(1, id);
                    insert.setString(2, id % 3 == 0 ? "B" : "P");
                    insert.setString(3, "Holder " + id);
                    insert.setBigDecimal(4, BigDecimal.valueOf(random.nextLong(100_000_000), 2));
                    insert.setObject(5, OPENED.plusDays(id % 1500));
                    insert.setString(6, "holder" + id + "@example.com");
                    insert.setString(7, "+44 20 " + id % 10_000);
                    insert.setString(8, REGIONS[(int) (id % 3)]);
                    insert.setInt(9, step);
                    insert.addBatch();
                    inserted = true;
                } else {
                    update.setString(1, STATUSES[random.nextInt(STATUSES.length)]);
                    update.setBigDecimal(2, BigDecimal.valueOf(random.nextLong(-10_000, 10_000), 2));
                    update.setInt(3, step);
                    update.setLong(4, 1 + updateCursor.getAndIncrement() % updatableKeys);
                    update.addBatch();
                    updated = true;
                }
            }
            try {
                if (inserted) {
                    insert.executeBatch();
                }
                if (updated) {
                    update.executeBatch();
                }
                connection.commit();
            } catch (SQLException e) {
                connection.rollback();
                throw e;
            }
            return rowsPerTransaction;
        }

        void close() {
            try {
                connection.close();
            } catch (SQLException e) {
                PipelineBenchmark.say("closing a legacy connection failed: " + e.getMessage());
            }
        }
    }
}
