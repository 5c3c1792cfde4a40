package io.rollingmigration.sandbox;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The legacy application still at work: a stream of inserts, updates and deletes of customers at a steady rate,
 * while the migration copies them.
 */
public final class LegacyTraffic implements Runnable {

    private final LegacyDatabase legacy;
    private final int changesPerSecond;
    private final SplittableRandom random = new SplittableRandom(42);
    private final AtomicLong inserts = new AtomicLong();
    private final AtomicLong updates = new AtomicLong();
    private final AtomicLong deletes = new AtomicLong();
    private volatile boolean running = true;
    private long nextId;
    /** The only region the application still writes, once the others moved to the new service; null: all. */
    private volatile String onlyRegion;
    /** A customer the application leaves alone (the story's corrupted row); -1: none. */
    private volatile long avoided = -1;

    LegacyTraffic(LegacyDatabase legacy, long firstNewId, int changesPerSecond) {
        this.legacy = legacy;
        this.nextId = firstNewId;
        this.changesPerSecond = changesPerSecond;
    }

    /** From now on the application leaves this customer alone. */
    public void avoid(long id) {
        avoided = id;
    }

    /** From now on the application writes only this region: the others are written through the new service. */
    public void writeOnly(String region) {
        onlyRegion = region;
    }

    @Override
    public void run() {
        long intervalNanos = 1_000_000_000L / Math.max(1, changesPerSecond);
        while (running) {
            String table = legacy.table();
            String region = legacy.textParameter();
            // Pick, then write: MariaDB does not let an UPDATE or DELETE read its own table in a subquery.
            try (Connection connection = legacy.connect();
                    PreparedStatement insert = connection.prepareStatement("INSERT INTO " + table
                            + " (id, name, email, status, balance, region, updated_at) VALUES (?, ?, ?, 'P', ?, ?, "
                            + legacy.now() + ")");
                    PreparedStatement pick = connection.prepareStatement("SELECT id FROM " + table + " WHERE ("
                            + region + " IS NULL OR region = " + region + ") AND id <> ? ORDER BY " + legacy.random()
                            + " LIMIT 1");
                    PreparedStatement update = connection.prepareStatement("UPDATE " + table
                            + " SET balance = balance + ?, status = CASE status WHEN 'P' THEN 'B' ELSE 'P' END, "
                            + "updated_at = " + legacy.now() + " WHERE id = ?");
                    PreparedStatement delete = connection.prepareStatement("DELETE FROM " + table + " WHERE id = ?")) {
                long next = System.nanoTime();
                while (running) {
                    int dice = random.nextInt(10);
                    if (dice < 3) {
                        long id = nextId++;
                        insert.setLong(1, id);
                        insert.setString(2, "Customer " + id);
                        insert.setString(3, "customer" + id + "@example.com");
                        insert.setBigDecimal(4, BigDecimal.valueOf(random.nextInt(100_000), 2));
                        String only = onlyRegion;
                        insert.setString(5, only != null ? only : id % 2 == 0 ? "EU" : "US");
                        insert.executeUpdate();
                        inserts.incrementAndGet();
                    } else if (dice < 9) {
                        long id = pick(pick);
                        if (id >= 0) {
                            update.setBigDecimal(1, BigDecimal.valueOf(random.nextInt(10_000), 2));
                            update.setLong(2, id);
                            updates.addAndGet(update.executeUpdate());
                        }
                    } else {
                        long id = pick(pick);
                        if (id >= 0) {
                            delete.setLong(1, id);
                            deletes.addAndGet(delete.executeUpdate());
                        }
                    }
                    next += intervalNanos;
                    long wait = next - System.nanoTime();
                    if (wait > 0) {
                        Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                    }
                }
            } catch (SQLException e) {
                if (running) {
                    System.err.println("legacy traffic paused: " + e.getMessage());
                    pause();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** A random customer the application may write now (its region, not the avoided one), or -1 if none. */
    private long pick(PreparedStatement pick) throws SQLException {
        pick.setString(1, onlyRegion);
        pick.setString(2, onlyRegion);
        pick.setLong(3, avoided);
        try (ResultSet rs = pick.executeQuery()) {
            return rs.next() ? rs.getLong(1) : -1;
        }
    }

    public void stop() {
        running = false;
    }

    public long inserts() {
        return inserts.get();
    }

    public long updates() {
        return updates.get();
    }

    public long deletes() {
        return deletes.get();
    }

    private static void pause() {
        try {
            Thread.sleep(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
