package io.rollingmigration.sandbox;

import io.rollingmigration.testsupport.PostgresFixture;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The legacy application still at work: a stream of inserts, updates and deletes of customers at a steady rate,
 * while the migration copies them.
 */
public final class LegacyTraffic implements Runnable {

    private final PostgresFixture postgres;
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

    public LegacyTraffic(PostgresFixture postgres, long firstNewId, int changesPerSecond) {
        this.postgres = postgres;
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
            try (Connection connection = postgres.connect(PostgresFixture.LEGACY);
                    PreparedStatement insert = connection.prepareStatement(
                            "INSERT INTO public.customer "
                                    + "(id, name, email, status, balance, region, updated_at) VALUES (?, ?, ?, 'P', ?, ?, now())");
                    PreparedStatement update = connection.prepareStatement("UPDATE public.customer SET "
                            + "balance = balance + ?, status = CASE status WHEN 'P' THEN 'B' ELSE 'P' END, "
                            + "updated_at = now() WHERE id = (SELECT id FROM public.customer WHERE "
                            + "(?::text IS NULL OR region = ?::text) AND id <> ? ORDER BY random() LIMIT 1)");
                    PreparedStatement delete = connection.prepareStatement("DELETE FROM public.customer WHERE id = "
                            + "(SELECT id FROM public.customer WHERE (?::text IS NULL OR region = ?::text) "
                            + "AND id <> ? ORDER BY random() LIMIT 1)")) {
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
                        update.setBigDecimal(1, BigDecimal.valueOf(random.nextInt(10_000), 2));
                        update.setString(2, onlyRegion);
                        update.setString(3, onlyRegion);
                        update.setLong(4, avoided);
                        updates.addAndGet(update.executeUpdate());
                    } else {
                        delete.setString(1, onlyRegion);
                        delete.setString(2, onlyRegion);
                        delete.setLong(3, avoided);
                        deletes.addAndGet(delete.executeUpdate());
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
