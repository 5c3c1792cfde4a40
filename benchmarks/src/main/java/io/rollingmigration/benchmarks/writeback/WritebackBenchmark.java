package io.rollingmigration.benchmarks.writeback;

import io.rollingmigration.connect.sink.TargetStoreSinkTask;
import io.rollingmigration.connect.sink.writeback.LegacyWritebackSinkTask;
import io.rollingmigration.connect.smt.translate.TranslateAggregate;
import io.rollingmigration.testsupport.ChangeEvents;
import io.rollingmigration.testsupport.PostgresFixture;
import io.rollingmigration.testsupport.RecordingSinkContext;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.sink.SinkTask;

/**
 * The write-back lane against the forward lane on the same machine, in the same run, into the same private
 * PostgreSQL: the same number of changes of the same fleet of vehicles, in batches as a consumer poll hands them
 * over. Forward: legacy change events through TranslateAggregate into our sink, beside a write-back lane (its
 * transactions recorded, the write-back's echoes looked up). Write-back: the service's change events of the same
 * vehicles into legacy through the spec's writeback rules, ownership and echoes checked. Each change's lag is the
 * time from its batch being handed over to its commit. Prints, last, one RESULT line.
 */
public final class WritebackBenchmark {

    private static final int BATCH = 500;
    private static final int VEHICLES = 20_000;

    static final String SPEC = String.join(
            "\n",
            "name: bench-vehicle",
            "version: 1",
            "source: fleet.vehicle",
            "aggregates:",
            "  vehicle:",
            "    key: {field: vehicle_id, uuid5: {namespace: url, columns: [veh_no]}}",
            "    ownership: depot",
            "    fields:",
            "      plate: plate",
            "      state: {from: state_cd, map: {A: ACTIVE, S: SOLD, X: SCRAPPED}, unmapped: error}",
            "      odometer_km: {type: decimal(1), expr: \"decimal(after.odo_tenths) / 10\"}",
            "      depot: depot",
            "      changed_at: {type: timestamp, from: changed_at}",
            "    dropped:",
            "      notes: free text the service does not keep",
            "    writeback:",
            "      version: changed_at",
            "      columns:",
            "        odo_tenths: {expr: \"int(after.odometer_km * 10)\"}",
            "        notes: {keep: previous}");

    private static final Schema MICROS = SchemaBuilder.int64()
            .name("io.debezium.time.MicroTimestamp")
            .optional()
            .build();
    private static final Schema LEGACY_ROW = SchemaBuilder.struct()
            .name(ChangeEvents.rowName("fleet", "fleet", "vehicle"))
            .optional()
            .field("veh_no", Schema.INT64_SCHEMA)
            .field("plate", Schema.OPTIONAL_STRING_SCHEMA)
            .field("state_cd", Schema.OPTIONAL_STRING_SCHEMA)
            .field("odo_tenths", Schema.OPTIONAL_INT64_SCHEMA)
            .field("depot", Schema.OPTIONAL_STRING_SCHEMA)
            .field("notes", Schema.OPTIONAL_STRING_SCHEMA)
            .field("changed_at", MICROS)
            .build();
    private static final Schema SERVICE_ROW = SchemaBuilder.struct()
            .name(ChangeEvents.rowName("fleet_service", "public", "vehicle"))
            .optional()
            .field("vehicle_id", Schema.STRING_SCHEMA)
            .field("plate", Schema.OPTIONAL_STRING_SCHEMA)
            .field("state", Schema.OPTIONAL_STRING_SCHEMA)
            .field("odometer_km", Decimal.builder(1).optional().build())
            .field("depot", Schema.OPTIONAL_STRING_SCHEMA)
            .field("changed_at", MICROS)
            .field("lineage_source_key", Schema.OPTIONAL_STRING_SCHEMA)
            .build();
    private static final ChangeEvents LEGACY_EVENTS =
            ChangeEvents.of("fleet", "fleet", "vehicle", LEGACY_ROW, ChangeEvents.POSTGRES_SOURCE, "veh_no");
    private static final ChangeEvents SERVICE_EVENTS = ChangeEvents.of(
            "fleet_service", "public", "vehicle", SERVICE_ROW, ChangeEvents.POSTGRES_SOURCE, "vehicle_id");
    // 2026-12-01T00:00Z: after every legacy row's change time, so the version guard lets the changes through.
    private static final long BASE_MICROS = 1_796_083_200_000_000L;

    private static final List<RecordingSinkContext> CONTEXTS = new ArrayList<>();

    public static void main(String[] args) {
        boolean quick = List.of(args).contains("--quick");
        int changes = quick ? 100_000 : 500_000;
        say("write-back benchmark: " + changes + " changes of " + VEHICLES + " vehicles, batches of " + BATCH
                + (quick ? " (quick)" : ""));
        try (PostgresFixture postgres = PostgresFixture.startOwned()) {
            prepare(postgres);
            TranslateAggregate<SinkRecord> translate = new TranslateAggregate<>();
            translate.configure(Map.of("spec", SPEC, "aggregate", "vehicle"));

            Lane forward = run("forward", forwardTask(postgres), changes, i -> translate.apply(legacyChange(i)));
            say(forward.describe());
            Lane writeback = run("write-back", writebackTask(postgres), changes, WritebackBenchmark::serviceChange);
            say(writeback.describe());
            requireNoErrantRecords();
            checkLegacyHoldsTheLastChanges(postgres, changes);

            System.out.printf(
                    Locale.ROOT,
                    "RESULT bench=writeback rows_s=%.0f forward_rows_s=%.0f ratio=%.2f p99_ms=%.0f p50_ms=%.0f "
                            + "forward_p99_ms=%.0f changes=%d batch=%d%n",
                    writeback.rowsPerSecond(),
                    forward.rowsPerSecond(),
                    writeback.rowsPerSecond() / forward.rowsPerSecond(),
                    writeback.percentile(0.99),
                    writeback.percentile(0.50),
                    forward.percentile(0.99),
                    changes,
                    BATCH);
        }
    }

    private static void prepare(PostgresFixture postgres) {
        postgres.execute(
                PostgresFixture.LEGACY,
                "DROP SCHEMA IF EXISTS fleet CASCADE",
                "DROP SCHEMA IF EXISTS fleet_lane CASCADE",
                "CREATE SCHEMA fleet",
                "CREATE TABLE fleet.vehicle (veh_no bigint PRIMARY KEY, plate varchar(12) NOT NULL, "
                        + "state_cd char(1) NOT NULL, odo_tenths bigint NOT NULL, depot text NOT NULL, "
                        + "notes text NOT NULL DEFAULT '', changed_at timestamp(3) NOT NULL)",
                "INSERT INTO fleet.vehicle SELECT n, 'KA-' || n, 'A', n, 'NORTH', 'note', "
                        + "timestamp '2026-11-30 00:00' FROM generate_series(1, " + VEHICLES + ") n");
        String serviceTable = " (vehicle_id text PRIMARY KEY, plate text, state text, odometer_km numeric(12,1), "
                + "depot text, changed_at timestamp(3), lineage_source_system text, lineage_source_table text, "
                + "lineage_source_key text, lineage_source_position bigint, lineage_source_committed_at timestamptz, "
                + "lineage_operation text, lineage_snapshot text, lineage_rule text, lineage_translated_at timestamptz, "
                + "lineage_applied_at timestamptz, lineage_deleted_at timestamptz)";
        postgres.execute(
                PostgresFixture.TARGET,
                "DROP TABLE IF EXISTS vehicle",
                "DROP TABLE IF EXISTS migration_ownership",
                "DROP TABLE IF EXISTS migration_lane_transactions",
                "CREATE TABLE vehicle" + serviceTable,
                "CREATE INDEX vehicle_source_key ON vehicle (lineage_source_key)",
                "CREATE TABLE migration_ownership (migration_unit varchar(255) NOT NULL, partition_value "
                        + "varchar(255) NOT NULL, owner varchar(16) NOT NULL, since timestamp, PRIMARY KEY "
                        + "(migration_unit, partition_value))",
                // The forward lane writes a depot legacy owns, the write-back one the service owns.
                // Moved before the benchmark's changes were committed (ChangeEvents.COMMITTED_MS, 2023-11-14).
                "INSERT INTO migration_ownership VALUES ('vehicle-forward', '*', 'LEGACY', '2020-01-01'), "
                        + "('vehicle', '*', 'TARGET', '2020-01-01')");
    }

    private static SinkTask forwardTask(PostgresFixture postgres) {
        Map<String, String> config = new HashMap<>(postgres.connectionSettings("", PostgresFixture.TARGET));
        config.put("name", "bench-forward");
        config.put("target.table", "vehicle");
        config.put("ownership.table", "migration_ownership");
        config.put("ownership.unit", "vehicle-forward");
        config.put("ownership.partition.field", "depot");
        config.put("lane.transactions.table", "migration_lane_transactions");
        config.put("offsets.storage", "target");
        return started(new TargetStoreSinkTask(), config, "fleet.fleet.vehicle");
    }

    private static SinkTask writebackTask(PostgresFixture postgres) {
        Map<String, String> config = new HashMap<>();
        config.put("name", "bench-writeback");
        config.putAll(postgres.connectionSettings("legacy.", PostgresFixture.LEGACY));
        config.putAll(postgres.connectionSettings("service.", PostgresFixture.TARGET));
        config.put("mapping.spec", SPEC);
        config.put("aggregate", "vehicle");
        config.put("bookkeeping.schema", "fleet_lane");
        config.put("ownership.table", "migration_ownership");
        config.put("lane.transactions.table", "migration_lane_transactions");
        return started(new LegacyWritebackSinkTask(), config, "fleet_service.public.vehicle");
    }

    private static SinkTask started(SinkTask task, Map<String, String> config, String topic) {
        TopicPartition partition = new TopicPartition(topic, 0);
        RecordingSinkContext context = new RecordingSinkContext(true, config, Set.of(partition));
        CONTEXTS.add(context);
        task.initialize(context);
        task.start(config);
        task.open(List.of(partition));
        return task;
    }

    /** The i-th legacy change: vehicle i mod VEHICLES, its odometer and state moved on, a newer change time. */
    private static SinkRecord legacyChange(int i) {
        long vehicle = i % VEHICLES + 1;
        int round = i / VEHICLES + 1;
        Struct after = new Struct(LEGACY_ROW)
                .put("veh_no", vehicle)
                .put("plate", "KA-" + vehicle)
                .put("state_cd", round % 2 == 0 ? "S" : "A")
                .put("odo_tenths", vehicle + round * 10L)
                .put("depot", "NORTH")
                .put("notes", "note")
                .put("changed_at", BASE_MICROS + round * 1_000_000L);
        Struct source = LEGACY_EVENTS.postgresSource(1_000_000L + i).put("txId", 10_000L + i / BATCH);
        return ChangeEvents.delivered(LEGACY_EVENTS.change("u", after, after, source), i);
    }

    /** The i-th service change: the same vehicle's row in the service's store, as the service changed it. */
    private static SinkRecord serviceChange(int i) {
        long vehicle = i % VEHICLES + 1;
        int round = i / VEHICLES + 1;
        String key = "{\"veh_no\":" + vehicle + "}";
        Struct after = new Struct(SERVICE_ROW)
                .put("vehicle_id", "vehicle-" + vehicle)
                .put("plate", "KA-" + vehicle)
                .put("state", round % 2 == 0 ? "SOLD" : "SCRAPPED")
                .put("odometer_km", BigDecimal.valueOf(vehicle + round * 20L, 1))
                .put("depot", "NORTH")
                .put("changed_at", BASE_MICROS + round * 1_000_000L)
                .put("lineage_source_key", key);
        Struct source = SERVICE_EVENTS.postgresSource(2_000_000L + i).put("txId", 900_000L + i / BATCH);
        return ChangeEvents.delivered(SERVICE_EVENTS.change("u", after, after, source), i);
    }

    private static Lane run(String name, SinkTask task, int changes, Function<Integer, SinkRecord> change) {
        // A first round, not timed, so the JIT and the caches meet the lane as a worker's would after a minute.
        int warmup = Math.min(changes / 10, 10_000);
        long[] batchNanos = new long[(changes + BATCH - 1) / BATCH];
        int batches = 0;
        long timed = 0;
        long started = 0;
        for (int from = 0; from < changes + warmup; from += BATCH) {
            if (from == warmup) {
                started = System.nanoTime();
            }
            List<SinkRecord> batch = new ArrayList<>(BATCH);
            for (int i = from; i < Math.min(changes + warmup, from + BATCH); i++) {
                batch.add(change.apply(i));
            }
            long handedOver = System.nanoTime();
            task.put(batch);
            if (from >= warmup) {
                batchNanos[batches++] = System.nanoTime() - handedOver;
                timed += batch.size();
            }
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        task.stop();
        return new Lane(name, timed / seconds, Arrays.copyOf(batchNanos, batches));
    }

    private static void checkLegacyHoldsTheLastChanges(PostgresFixture postgres, int changes) {
        int lastRound = (changes + Math.min(changes / 10, 10_000) - 1) / VEHICLES + 1;
        List<List<Object>> rows = postgres.query(
                PostgresFixture.LEGACY,
                "SELECT count(*) FROM fleet.vehicle WHERE state_cd IN ('S', 'X') AND notes = 'note'");
        long written = ((Number) rows.get(0).get(0)).longValue();
        say("legacy vehicles holding a service state (should be " + VEHICLES + "; rounds " + lastRound + "): "
                + written);
        if (written != VEHICLES) {
            throw new IllegalStateException("the write-back left " + (VEHICLES - written) + " vehicles unwritten");
        }
    }

    private static void requireNoErrantRecords() {
        for (RecordingSinkContext context : CONTEXTS) {
            if (!context.errant.isEmpty()) {
                throw new IllegalStateException(context.errant.size() + " errant records, the first: "
                        + context.reasons.get(0).getMessage());
            }
        }
    }

    /** One lane's throughput and per-batch latencies (a change's lag: handed over to committed). */
    private record Lane(String name, double rowsPerSecond, long[] batchNanos) {
        double percentile(double p) {
            long[] sorted = batchNanos.clone();
            Arrays.sort(sorted);
            return sorted[Math.min(sorted.length - 1, (int) Math.floor(p * sorted.length))] / 1e6;
        }

        String describe() {
            return String.format(
                    Locale.ROOT,
                    "%s: %.0f changes/s, lag p50 %.0f ms, p99 %.0f ms",
                    name,
                    rowsPerSecond,
                    percentile(0.50),
                    percentile(0.99));
        }
    }

    private static void say(String line) {
        System.err.println("[bench] " + line);
    }
}
