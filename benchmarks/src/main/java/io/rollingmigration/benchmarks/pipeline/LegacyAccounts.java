package io.rollingmigration.benchmarks.pipeline;

import io.rollingmigration.testsupport.PostgresFixture;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The legacy {@code account} table of one contender's legacy database, which the load generator writes and the stock
 * Debezium PostgreSQL connector captures. Each contender has its own database, so only the pipeline under load has
 * work to do (a logical slot skips other databases' WAL cheaply). Every row carries, besides its business columns,
 * a {@code version} bumped by each change, the benchmark {@code step} that wrote it, and {@code written_us}, the
 * database clock when it was written: the start of the lag, which both pipelines carry through to the target as an
 * ordinary column.
 */
final class LegacyAccounts {

    static final String TABLE = "public.account";
    /** The database clock in microseconds; the target's trigger stamps the same clock, so lag needs no clock sync. */
    static final String CLOCK_US = "(extract(epoch FROM clock_timestamp()) * 1000000)::bigint";

    private final PostgresFixture postgres;
    private final String database;
    private final long rows;

    LegacyAccounts(PostgresFixture postgres, String database, long rows) {
        this.postgres = postgres;
        this.database = database;
        this.rows = rows;
    }

    String database() {
        return database;
    }

    /**
     * A fresh table of {@code rows} accounts, vacuumed and checkpointed so each contender starts from the same
     * legacy state and the same database housekeeping debt.
     */
    void recreate() {
        postgres.createDatabase(database);
        postgres.execute(
                database,
                "DROP TABLE IF EXISTS " + TABLE,
                "CREATE TABLE " + TABLE + " (id bigint PRIMARY KEY, kind char(1) NOT NULL, holder text NOT NULL, "
                        + "status char(1) NOT NULL, balance numeric(14,2) NOT NULL, "
                        + "credit_limit numeric(14,2) NOT NULL, opened_on date NOT NULL, "
                        + "updated_at timestamp(6) NOT NULL, email text, fax text, region text NOT NULL, "
                        + "version bigint NOT NULL, step int NOT NULL, written_us bigint NOT NULL)",
                "INSERT INTO " + TABLE + " SELECT g, CASE WHEN g % 3 = 0 THEN 'B' ELSE 'P' END, 'Holder ' || g, "
                        + "'A', (g % 1000000) / 100.0, 5000, date '2020-01-01' + (g % 1500)::int, localtimestamp, "
                        + "'holder' || g || '@example.com', '+44 20 ' || (g % 10000), "
                        + "(ARRAY['EU', 'US', 'APAC'])[(g % 3) + 1], 1, 0, 0 FROM generate_series(1, " + rows + ") g",
                "VACUUM ANALYZE " + TABLE,
                "CHECKPOINT");
    }

    /** Keys {@code 1..updatableKeys()} were there from the start; updates walk round them. */
    long updatableKeys() {
        return rows;
    }

    /** The first key no row has yet: inserts take keys from here on. */
    long nextNewKey() {
        return ((Number) postgres.query(database, "SELECT coalesce(max(id), 0) + 1 FROM " + TABLE)
                        .get(0)
                        .get(0))
                .longValue();
    }

    /**
     * The stock Debezium PostgreSQL source as {@code config-examples/debezium/legacy-customer-source.json} sets it
     * up, capturing only what happens from now on (the legacy rows written before the slot exists are the starting
     * state, not load), with a shorter poll interval.
     */
    Map<String, String> debeziumSource(String topicPrefix, String slot) {
        Map<String, String> config = new LinkedHashMap<>();
        config.put("connector.class", "io.debezium.connector.postgresql.PostgresConnector");
        config.put("tasks.max", "1");
        config.put("database.hostname", postgres.host());
        config.put("database.port", Integer.toString(postgres.port()));
        config.put("database.user", postgres.user());
        if (!postgres.password().isEmpty()) {
            config.put("database.password", postgres.password());
        }
        config.put("database.dbname", database);
        config.put("topic.prefix", topicPrefix);
        config.put("plugin.name", "pgoutput");
        config.put("slot.name", slot);
        config.put("publication.name", slot);
        config.put("publication.autocreate.mode", "filtered");
        config.put("table.include.list", TABLE);
        config.put("snapshot.mode", "no_data");
        config.put("slot.drop.on.stop", "true");
        config.put("time.precision.mode", "connect");
        config.put("decimal.handling.mode", "precise");
        config.put("tombstones.on.delete", "false");
        // Debezium's default (500 ms) lets a poll wait that long for a full batch of 2048 changes: at these rates
        // half the 1 s budget spent before a change reaches Kafka. A latency-minded deployment lowers it; both
        // contenders share this source.
        config.put("poll.interval.ms", "100");
        // Connect's source producers keep one request in flight; with the default 16 KB batches an envelope of a
        // few KB (JSON with its schema) goes to the broker three at a time, a round trip each: that, not
        // Debezium, capped the source. Both contenders share this source.
        config.put("producer.override.batch.size", "524288");
        return config;
    }
}
