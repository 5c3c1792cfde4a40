package io.rollingmigration.connect.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rollingmigration.connect.common.lineage.Lineage.Field;
import io.rollingmigration.testsupport.RecordingSinkContext;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What the sink promises, proved against a real database: each subclass runs every scenario on one database
 * (PostgreSQL, MariaDB) through its dialect.
 */
abstract class SinkContractTest {

    static final Schema KEY =
            SchemaBuilder.struct().field("id", Schema.INT64_SCHEMA).build();
    static final Schema ROW = SchemaBuilder.struct()
            .field("id", Schema.INT64_SCHEMA)
            .field("name", Schema.STRING_SCHEMA)
            .field("code", Schema.OPTIONAL_STRING_SCHEMA)
            .field("balance", Decimal.builder(2).optional().build())
            .build();
    static final String TABLE = "sink_customer";

    TargetStoreSinkTask task;
    RecordingSinkContext context;
    private final List<TargetStoreSinkTask> started = new ArrayList<>();
    private long offset;

    /** The JDBC URL, user and password of the target database. */
    abstract Map<String, String> connection();

    abstract void execute(String... sql);

    abstract List<List<Object>> query(String sql);

    /** DDL for the test table with the given business columns' NOT NULL-ness and the lineage columns. */
    abstract String createTable(String table, boolean nameNotNull);

    @BeforeEach
    void freshTableAndTask() {
        execute("DROP TABLE IF EXISTS " + TABLE, createTable(TABLE, false));
        context = new RecordingSinkContext(true);
        task = startTask(context, Map.of());
    }

    @AfterEach
    void stopTasks() {
        started.forEach(TargetStoreSinkTask::stop);
    }

    TargetStoreSinkTask startTask(RecordingSinkContext taskContext, Map<String, String> overrides) {
        Map<String, String> config = new HashMap<>(connection());
        config.put("target.table", TABLE);
        config.put("retry.backoff.ms", "10");
        config.putAll(overrides);
        TargetStoreSinkTask sinkTask = new TargetStoreSinkTask();
        sinkTask.initialize(taskContext);
        sinkTask.start(config);
        started.add(sinkTask);
        return sinkTask;
    }

    @Test
    void insertsUpdatesAndDeletesRows() {
        task.put(List.of(upsert(1, "Ada", 10), upsert(2, "Bo", 11)));
        task.put(List.of(upsert(1, "Ada L.", 20)));
        task.put(List.of(delete(2, 30)));

        assertEquals(List.of("1|Ada L."), liveRows());
        assertEquals(List.of(2L), markers(), "the delete left a versioned marker");
    }

    @Test
    void olderChangeArrivingLateDoesNotOverwriteNewerRow() {
        task.put(List.of(upsert(1, "newer", 200)));
        task.put(List.of(upsert(1, "older", 100)));

        assertEquals(List.of("1|newer"), liveRows());
        assertEquals(200L, ((Number) single("SELECT lineage_source_position FROM " + TABLE)).longValue());
    }

    @Test
    void olderDeleteArrivingLateDoesNotRemoveNewerRow() {
        task.put(List.of(upsert(1, "newer", 200)));
        task.put(List.of(delete(1, 100)));

        assertEquals(List.of("1|newer"), liveRows());
    }

    @Test
    void lateOlderUpdateDoesNotResurrectDeletedRow() {
        task.put(List.of(upsert(1, "created", 100)));
        task.put(List.of(delete(1, 300)));
        task.put(List.of(upsert(1, "stale update", 200)));

        assertEquals(List.of(), liveRows());
        assertEquals(List.of(1L), markers());
    }

    @Test
    void deleteOfARowNeverSeenLeavesAMarkerThatOlderChangesCannotPass() {
        task.put(List.of(delete(9, 500)));
        task.put(List.of(upsert(9, "snapshot read from before the delete", 400)));

        assertEquals(List.of(), liveRows());
        assertEquals(List.of(9L), markers());
    }

    @Test
    void changeNewerThanTheDeleteBringsTheRowBack() {
        task.put(List.of(upsert(1, "first life", 100), delete(1, 200)));
        task.put(List.of(upsert(1, "second life", 300)));

        assertEquals(List.of("1|second life"), liveRows());
        assertEquals(List.of(), markers());
    }

    @Test
    void replayingABatchChangesNothing() {
        List<SinkRecord> batch = List.of(upsert(1, "Ada", 10), upsert(2, "Bo", 11), delete(2, 12));
        task.put(batch);
        Object appliedAt = single("SELECT lineage_applied_at FROM " + TABLE + " WHERE id = 1");

        task.put(batch);
        task.put(batch);

        assertEquals(List.of("1|Ada"), liveRows());
        assertEquals(
                appliedAt,
                single("SELECT lineage_applied_at FROM " + TABLE + " WHERE id = 1"),
                "an equal version is a no-op, so the row is not even touched");
    }

    @Test
    void updateDeleteAndReinsertOfOneKeyInOneBatchEndsReinserted() {
        task.put(List.of(upsert(1, "first", 10)));

        task.put(List.of(upsert(1, "updated", 20), delete(1, 30), upsert(1, "re-inserted", 40)));

        assertEquals(List.of("1|re-inserted"), liveRows());
    }

    @Test
    void anyInterleavingOfDuplicatedReplayedAndOverlappingDeliveriesConvergesToTheInOrderState() {
        Random random = new Random(20261124);
        for (int round = 0; round < 12; round++) {
            execute("DELETE FROM " + TABLE);
            List<SinkRecord> history = new ArrayList<>();
            Map<Long, String> expected = new TreeMap<>();
            long version = 1;
            for (int step = 0; step < 120; step++) {
                long id = 1 + random.nextInt(15);
                version += 1 + random.nextInt(3);
                if (random.nextInt(4) == 0) {
                    history.add(delete(id, version));
                    expected.remove(id);
                } else {
                    String name = "k" + id + "v" + version;
                    history.add(upsert(id, name, version));
                    expected.put(id, name);
                }
            }
            // A backfill overlapping the stream: the first half again, then everything shuffled, some twice,
            // delivered in batches of random size, then a replay from the start.
            List<SinkRecord> deliveries = new ArrayList<>(history.subList(0, history.size() / 2));
            List<SinkRecord> shuffled = new ArrayList<>(history);
            for (int i = 0; i < 20; i++) {
                shuffled.add(history.get(random.nextInt(history.size())));
            }
            Collections.shuffle(shuffled, random);
            deliveries.addAll(shuffled);
            deliveries.addAll(history);
            for (int from = 0; from < deliveries.size(); ) {
                int to = Math.min(deliveries.size(), from + 1 + random.nextInt(40));
                task.put(deliveries.subList(from, to));
                from = to;
            }

            List<String> want = new ArrayList<>();
            expected.forEach((id, name) -> want.add(id + "|" + name));
            assertEquals(want, liveRows(), "round " + round);
        }
        assertEquals(List.of(), context.errant);
    }

    @Test
    void withOffsetsInTheTargetARestartedTaskResumesExactlyAfterTheWrittenRows() {
        execute("DROP TABLE IF EXISTS migration_sink_offsets");
        Map<String, String> exactlyOnce = Map.of("offsets.storage", "target", "name", "customer-sink");
        TopicPartition partition = new TopicPartition("legacy.public.customer", 0);
        TargetStoreSinkTask first = startTask(new RecordingSinkContext(true), exactlyOnce);
        first.open(List.of(partition));
        long firstOffset = offset;
        first.put(List.of(upsert(1, "a", 10), upsert(2, "b", 11), delete(1, 12)));
        // The worker dies here: the rows and the ledger are committed, Kafka's offset commit never happened.
        first.stop();

        RecordingSinkContext restarted = new RecordingSinkContext(true);
        TargetStoreSinkTask second = startTask(restarted, exactlyOnce);
        second.open(List.of(partition, new TopicPartition("legacy.public.customer", 1)));

        assertEquals(
                Map.of(partition, firstOffset + 3),
                restarted.seeks,
                "resumes after the last written record; a partition never written keeps Kafka's offset");
        assertEquals(List.of("2|b"), liveRows());
    }

    @Test
    void switchingOnePartitionToTargetOwnershipStopsCdcWritesForItOnlyAndReportsEachBlockedChange() {
        execute("DROP TABLE IF EXISTS migration_ownership");
        RecordingSinkContext gatedContext = new RecordingSinkContext(true);
        TargetStoreSinkTask gated = gatedTask(gatedContext, "0");
        gated.put(List.of(inRegion(1, "one", "EU", 10), inRegion(2, "two", "US", 11)));
        assertEquals(List.of("1|one", "2|two"), liveRows());

        execute("INSERT INTO migration_ownership (migration_unit, partition_value, owner) "
                + "VALUES ('customer', 'EU', 'TARGET'), ('customer', 'US', 'LEGACY'), ('other', '*', 'TARGET')");
        SinkRecord blockedUpdate = inRegion(1, "legacy wrote after cutover", "EU", 20);
        SinkRecord blockedDelete = delete(1, 21);
        gated.put(List.of(blockedUpdate, inRegion(2, "two, updated", "US", 22), blockedDelete));

        assertEquals(List.of("1|one", "2|two, updated"), liveRows());
        assertEquals(List.of(blockedUpdate, blockedDelete), gatedContext.errant);
        assertTrue(
                gatedContext.reasons.get(0).getMessage().startsWith("LEGACY_WRITE_AFTER_CUTOVER"),
                gatedContext.reasons.get(0).getMessage());
        assertTrue(
                gatedContext.reasons.get(1).getMessage().contains("code=EU"),
                "a delete's partition comes from the target row: "
                        + gatedContext.reasons.get(1).getMessage());

        execute("UPDATE migration_ownership SET owner = 'LEGACY' WHERE partition_value = 'EU'");
        gated.put(List.of(inRegion(1, "rolled back to legacy", "EU", 30)));
        assertEquals(List.of("1|rolled back to legacy", "2|two, updated"), liveRows());
        assertEquals(2.0, gatedContext.metric("changes-blocked-by-ownership-total"));
    }

    @Test
    void aLegacyChangeCommittedBeforeThePartitionMovedIsAppliedEvenIfItArrivesAfterTheMove() {
        execute("DROP TABLE IF EXISTS migration_ownership");
        RecordingSinkContext gatedContext = new RecordingSinkContext(true);
        TargetStoreSinkTask gated = gatedTask(gatedContext, "0");
        gated.put(List.of(inRegion(1, "one", "EU", 10)));
        // Moved to the service at 2026-12-07 12:00 UTC.
        execute("INSERT INTO migration_ownership (migration_unit, partition_value, owner, since) "
                + "VALUES ('customer', 'EU', 'TARGET', '2026-12-07 12:00:00')");
        long moved = 1_796_644_800_000L;
        SinkRecord inFlight = inRegion(1, "committed a second before the move", "EU", 20);
        inFlight.headers().addLong(Field.SOURCE_COMMIT_TIME.header(), moved - 1_000);
        SinkRecord stray = inRegion(1, "committed a second after the move", "EU", 21);
        stray.headers().addLong(Field.SOURCE_COMMIT_TIME.header(), moved + 1_000);

        gated.put(List.of(inFlight));
        gated.put(List.of(stray));

        assertEquals(List.of("1|committed a second before the move"), liveRows());
        assertEquals(List.of(stray), gatedContext.errant);
    }

    @Test
    void aLegacyWriteJustAfterAMoveIsReportedBeforeTheCachedOwnershipAnswerExpires() throws InterruptedException {
        execute("DROP TABLE IF EXISTS migration_ownership");
        RecordingSinkContext gatedContext = new RecordingSinkContext(true);
        TargetStoreSinkTask gated = gatedTask(gatedContext, "600000");
        long now = System.currentTimeMillis();
        SinkRecord before = inRegion(1, "legacy's, before the move", "EU", 10);
        before.headers().addLong(Field.SOURCE_COMMIT_TIME.header(), now - 10_000);
        gated.put(List.of(before));
        // Moved while the gate holds the answer it read above, for ten minutes by ownership.refresh.ms.
        long moved = (now - 2_000) / 1000 * 1000;
        execute("INSERT INTO migration_ownership (migration_unit, partition_value, owner, since) VALUES ('customer', "
                + "'EU', 'TARGET', '"
                + java.time.LocalDateTime.ofInstant(java.time.Instant.ofEpochMilli(moved), java.time.ZoneOffset.UTC)
                        .toString()
                        .replace('T', ' ')
                + "')");
        Thread.sleep(300);
        SinkRecord stray = inRegion(1, "a legacy screen, just after the move", "EU", 20);
        stray.headers().addLong(Field.SOURCE_COMMIT_TIME.header(), System.currentTimeMillis());
        gated.put(List.of(stray));

        assertEquals(List.of("1|legacy's, before the move"), liveRows());
        assertEquals(List.of(stray), gatedContext.errant, "the change after the move makes the gate read again");
    }

    /**
     * A task gating customers by their code through migration_ownership, its answers cached for {@code refreshMs};
     * moves are edits of the ownership table here, not the hand-over journal's.
     */
    TargetStoreSinkTask gatedTask(RecordingSinkContext gatedContext, String refreshMs) {
        return startTask(
                gatedContext,
                Map.of(
                        "ownership.table", "migration_ownership",
                        "ownership.unit", "customer",
                        "ownership.partition.field", "code",
                        "ownership.refresh.ms", refreshMs,
                        "ownership.moves.table", ""));
    }

    SinkRecord inRegion(long id, String name, String region, long version) {
        return versioned(
                new SinkRecord(
                        "legacy.public.customer",
                        0,
                        KEY,
                        key(id),
                        ROW,
                        row(id, name).put("code", region),
                        offset++),
                version);
    }

    @Test
    void fragmentsFromTwoSourcesConvergeInAnyOrderWithoutOverwritingEachOther() {
        execute(
                "ALTER TABLE " + TABLE + " ADD COLUMN core_version bigint",
                "ALTER TABLE " + TABLE + " ADD COLUMN premium_version bigint");
        Schema coreSchema = SchemaBuilder.struct()
                .field("id", Schema.INT64_SCHEMA)
                .field("name", Schema.STRING_SCHEMA)
                .field("code", Schema.OPTIONAL_STRING_SCHEMA)
                .build();
        Schema premiumSchema = SchemaBuilder.struct()
                .field("id", Schema.INT64_SCHEMA)
                .field("balance", Decimal.builder(2).optional().build())
                .build();
        List<SinkRecord> core = List.of(
                versioned(
                        new SinkRecord(
                                "policy",
                                0,
                                KEY,
                                key(1),
                                coreSchema,
                                new Struct(coreSchema)
                                        .put("id", 1L)
                                        .put("name", "policy v1")
                                        .put("code", "P1"),
                                offset++),
                        10),
                versioned(
                        new SinkRecord(
                                "policy",
                                0,
                                KEY,
                                key(1),
                                coreSchema,
                                new Struct(coreSchema)
                                        .put("id", 1L)
                                        .put("name", "policy v2")
                                        .put("code", "P2"),
                                offset++),
                        30));
        List<SinkRecord> premium = List.of(
                versioned(
                        new SinkRecord(
                                "premium",
                                0,
                                KEY,
                                key(1),
                                premiumSchema,
                                new Struct(premiumSchema).put("id", 1L).put("balance", new BigDecimal("100.00")),
                                offset++),
                        20),
                versioned(
                        new SinkRecord(
                                "premium",
                                0,
                                KEY,
                                key(1),
                                premiumSchema,
                                new Struct(premiumSchema).put("id", 1L).put("balance", new BigDecimal("250.00")),
                                offset++),
                        40));

        for (int order = 0; order < 4; order++) {
            execute("DELETE FROM " + TABLE);
            TargetStoreSinkTask coreSink = startTask(
                    new RecordingSinkContext(true),
                    Map.of("fragment.columns", "name,code", "fragment.version.column", "core_version"));
            TargetStoreSinkTask premiumSink = startTask(
                    new RecordingSinkContext(true),
                    Map.of("fragment.columns", "balance", "fragment.version.column", "premium_version"));
            // Premium before core, interleaved, newest first and replayed: always the same row.
            switch (order) {
                case 0:
                    premiumSink.put(premium);
                    coreSink.put(core);
                    break;
                case 1:
                    coreSink.put(List.of(core.get(1)));
                    premiumSink.put(List.of(premium.get(1)));
                    coreSink.put(List.of(core.get(0)));
                    premiumSink.put(List.of(premium.get(0)));
                    break;
                case 2:
                    premiumSink.put(List.of(premium.get(0)));
                    coreSink.put(List.of(core.get(0)));
                    premiumSink.put(List.of(premium.get(1)));
                    coreSink.put(List.of(core.get(1)));
                    break;
                default:
                    coreSink.put(core);
                    premiumSink.put(premium);
                    coreSink.put(core);
                    premiumSink.put(premium);
            }
            List<Object> row = query("SELECT name, code, balance, core_version, premium_version FROM " + TABLE)
                    .get(0);
            assertEquals(
                    "policy v2|P2|250.00|30|40",
                    row.stream().map(String::valueOf).collect(Collectors.joining("|")),
                    "order " + order);
        }

        TargetStoreSinkTask premiumSink = startTask(
                new RecordingSinkContext(true),
                Map.of("fragment.columns", "balance", "fragment.version.column", "premium_version"));
        premiumSink.put(List.of(delete(1, 50)));
        assertEquals(
                "policy v2|null",
                query("SELECT name, balance FROM " + TABLE).get(0).stream()
                        .map(String::valueOf)
                        .collect(Collectors.joining("|")),
                "a fragment's delete empties only that fragment");

        TargetStoreSinkTask owner = startTask(
                new RecordingSinkContext(true),
                Map.of(
                        "fragment.columns",
                        "name,code",
                        "fragment.version.column",
                        "core_version",
                        "fragment.deletes",
                        "row"));
        owner.put(List.of(delete(1, 25)));
        assertEquals(
                "policy v2",
                query("SELECT name FROM " + TABLE + " WHERE lineage_deleted_at IS NULL")
                        .get(0)
                        .get(0),
                "an older delete of the owning fragment changes nothing");
        owner.put(List.of(delete(1, 55)));
        assertEquals(
                0L,
                ((Number) query("SELECT count(*) FROM " + TABLE + " WHERE lineage_deleted_at IS NULL")
                                .get(0)
                                .get(0))
                        .longValue(),
                "the owning fragment's delete deletes the row");
        owner.put(List.of(versioned(
                new SinkRecord(
                        "policy",
                        0,
                        KEY,
                        key(1),
                        coreSchema,
                        new Struct(coreSchema)
                                .put("id", 1L)
                                .put("name", "policy v3")
                                .put("code", "P3"),
                        offset++),
                45)));
        assertEquals(
                0L,
                ((Number) query("SELECT count(*) FROM " + TABLE + " WHERE lineage_deleted_at IS NULL")
                                .get(0)
                                .get(0))
                        .longValue(),
                "an older change does not bring it back");

        RecordingSinkContext strict = new RecordingSinkContext(true);
        TargetStoreSinkTask coreSink =
                startTask(strict, Map.of("fragment.columns", "name,code", "fragment.version.column", "core_version"));
        coreSink.put(List.of(versioned(
                new SinkRecord(
                        "policy",
                        0,
                        KEY,
                        key(1),
                        premiumSchema,
                        new Struct(premiumSchema).put("id", 1L).put("balance", BigDecimal.ONE),
                        offset++),
                60)));
        assertTrue(
                strict.reasons.get(0).getMessage().contains("not in this sink's fragment"),
                strict.reasons.get(0).getMessage());
    }

    @Test
    void optInTableCreationMakesATableFromTheFirstRecordWithLineageColumns() {
        execute("DROP TABLE IF EXISTS created_by_sink");
        TargetStoreSinkTask creating = startTask(
                new RecordingSinkContext(true), Map.of("target.table", "created_by_sink", "table.auto.create", "true"));

        creating.put(List.of(upsert(1, "Ada", 10), upsert(2, "Bo", 11), delete(2, 12)));
        creating.put(List.of(upsert(1, "older", 5)));

        List<List<Object>> rows = query("SELECT id, name, code, lineage_source_position FROM created_by_sink "
                + "WHERE lineage_deleted_at IS NULL ORDER BY id");
        assertEquals(1, rows.size());
        assertEquals("1|Ada|null|10", rows.get(0).stream().map(String::valueOf).collect(Collectors.joining("|")));
    }

    @Test
    void metricsCountAppliedStaleBlockedDeletedAndErrantChanges() {
        SinkRecord withCommitTime = upsert(1, "a", 10);
        withCommitTime.headers().addLong(Field.SOURCE_COMMIT_TIME.header(), System.currentTimeMillis() - 5_000);
        task.put(List.of(withCommitTime, upsert(2, "b", 11)));
        task.put(List.of(
                upsert(1, "stale", 5),
                delete(2, 12),
                new SinkRecord("t", 0, KEY, key(3), ROW, row(3, "no version"), offset++)));

        assertEquals(3.0, context.metric("changes-applied-total"));
        assertEquals(1.0, context.metric("changes-skipped-stale-total"));
        assertEquals(1.0, context.metric("rows-deleted-total"));
        assertEquals(1.0, context.metric("records-errant-total"));
        assertEquals(3.0, context.metric("batch-size-max"));
        assertTrue(context.metric("replication-lag-max-ms") >= 5_000, "lag from the legacy commit time");
    }

    @Test
    void lineageOfTheLastAppliedChangeIsKeptInTheRow() {
        SinkRecord record = upsert(5, "Lin", 4242);
        record.headers()
                .addString(Field.SOURCE_SYSTEM.header(), "legacy")
                .addString(Field.SOURCE_TABLE.header(), "public.customer")
                .addString(Field.SOURCE_KEY.header(), "{\"id\":5}")
                .addLong(Field.SOURCE_COMMIT_TIME.header(), 1_700_000_000_000L)
                .addString(Field.OPERATION.header(), "CREATE")
                .addString(Field.SNAPSHOT.header(), "false")
                .addString(Field.RULE.header(), "customer@2")
                .addLong(Field.TRANSLATED_AT.header(), 1_700_000_000_500L);
        task.put(List.of(record));

        List<Object> row = query("SELECT lineage_source_system, lineage_source_table, lineage_source_key, "
                        + "lineage_source_position, lineage_operation, lineage_snapshot, lineage_rule, "
                        + "lineage_applied_at IS NOT NULL, lineage_deleted_at IS NULL FROM " + TABLE)
                .get(0);
        assertEquals(
                List.of("legacy", "public.customer", "{\"id\":5}", "4242", "CREATE", "false", "customer@2"),
                row.subList(0, 7).stream().map(String::valueOf).collect(Collectors.toList()));
        assertTrue(truthy(row.get(7)) && truthy(row.get(8)), "applied_at set, not deleted: " + row);
        assertEquals(
                List.of(1_700_000_000_000L, 1_700_000_000_500L),
                epochMillis("lineage_source_committed_at", "lineage_translated_at"));
    }

    @Test
    void versionCanComeFromAValueField() {
        Schema versioned = SchemaBuilder.struct()
                .field("id", Schema.INT64_SCHEMA)
                .field("name", Schema.STRING_SCHEMA)
                .field("balance", Decimal.builder(2).optional().build())
                .build();
        TargetStoreSinkTask byField = startTask(new RecordingSinkContext(true), Map.of("version.field", "balance"));

        byField.put(List.of(new SinkRecord(
                "t",
                0,
                KEY,
                key(1),
                versioned,
                new Struct(versioned).put("id", 1L).put("name", "v7").put("balance", new BigDecimal("7")),
                offset++)));
        byField.put(List.of(new SinkRecord(
                "t",
                0,
                KEY,
                key(1),
                versioned,
                new Struct(versioned).put("id", 1L).put("name", "v5").put("balance", new BigDecimal("5")),
                offset++)));

        assertEquals(List.of("1|v7"), liveRows());
    }

    @Test
    void hardDeleteModeRemovesRows() {
        TargetStoreSinkTask hard = startTask(new RecordingSinkContext(true), Map.of("delete.mode", "hard"));
        hard.put(List.of(upsert(1, "a", 1), upsert(2, "b", 2)));
        hard.put(List.of(delete(2, 3)));

        assertEquals(List.of("1|a"), liveRows());
        assertEquals(1L, ((Number) single("SELECT count(*) FROM " + TABLE)).longValue());
    }

    @Test
    void deleteMarkersOlderThanTheRetentionArePurged() {
        SinkRecord oldDelete = delete(2, 30);
        oldDelete.headers().addLong(Field.SOURCE_COMMIT_TIME.header(), 1_000L);
        TargetStoreSinkTask keeping = startTask(new RecordingSinkContext(true), Map.of("delete.retention.ms", "0"));
        keeping.put(List.of(upsert(1, "a", 10), upsert(2, "b", 20), oldDelete));
        assertEquals(List.of(2L), markers(), "retention 0 keeps markers for ever");

        TargetStoreSinkTask purging = startTask(new RecordingSinkContext(true), Map.of("delete.retention.ms", "60000"));
        purging.put(List.of(upsert(3, "c", 40)));

        assertEquals(List.of(), markers(), "the marker of a delete committed long ago is gone");
        assertEquals(List.of("1|a", "3|c"), liveRows());
    }

    @Test
    void softDeletesNeedBusinessColumnsThatAMarkerCanLeaveEmpty() {
        execute("DROP TABLE IF EXISTS " + TABLE, createTable(TABLE, true));

        ConnectException error =
                assertThrows(ConnectException.class, () -> startTask(new RecordingSinkContext(true), Map.of()));
        assertTrue(error.getMessage().contains("NOT NULL columns without default [name]"), error.getMessage());
        startTask(new RecordingSinkContext(true), Map.of("delete.mode", "hard"));
    }

    @Test
    void recordsThatCannotBeReadAreReportedAndTheRestOfTheBatchIsWritten() {
        SinkRecord noKey = new SinkRecord("t", 0, null, null, ROW, row(3, "x"), offset++);
        noKey.headers().addLong(Field.SOURCE_POSITION.header(), 1L);
        SinkRecord noVersion = new SinkRecord("t", 0, KEY, key(4), ROW, row(4, "y"), offset++);
        Schema unknown = SchemaBuilder.struct()
                .field("id", Schema.INT64_SCHEMA)
                .field("fax", Schema.STRING_SCHEMA)
                .build();
        SinkRecord unknownColumn = versioned(
                new SinkRecord(
                        "t",
                        0,
                        KEY,
                        key(6),
                        unknown,
                        new Struct(unknown).put("id", 6L).put("fax", "555"),
                        offset++),
                5);

        task.put(List.of(upsert(1, "good", 1), noKey, noVersion, unknownColumn, upsert(2, "also good", 2)));

        assertEquals(List.of("1|good", "2|also good"), liveRows());
        assertEquals(List.of(noKey, noVersion, unknownColumn), context.errant);
        assertTrue(reason(0).contains("key must be a Struct"), reason(0));
        assertTrue(reason(1).contains("no 'lineage.source.position' header"), reason(1));
        assertTrue(reason(2).contains("field 'fax' has no column"), reason(2));
    }

    @Test
    void valueTooLongForItsColumnIsReportedAndTheRestWritten() {
        SinkRecord tooLong = versioned(
                new SinkRecord("t", 0, KEY, key(3), ROW, row(3, "long").put("code", "ABCDEFGHIJ"), offset++), 3);

        task.put(List.of(upsert(1, "one", 1), tooLong, upsert(2, "two", 2)));

        assertEquals(List.of("1|one", "2|two"), liveRows());
        assertEquals(List.of(tooLong), context.errant);
        assertTrue(reason(0).contains("at most 5"), reason(0));
    }

    @Test
    void valueTheDatabaseRefusesIsFoundByWritingOneByOne() {
        execute("ALTER TABLE " + TABLE + " ADD CONSTRAINT positive CHECK (balance >= 0)");
        SinkRecord negative = versioned(
                new SinkRecord(
                        "t", 0, KEY, key(3), ROW, row(3, "neg").put("balance", new BigDecimal("-1.00")), offset++),
                3);

        task.put(List.of(upsert(1, "one", 1), negative, upsert(2, "two", 2)));

        assertEquals(List.of("1|one", "2|two"), liveRows());
        assertEquals(List.of(negative), context.errant);
        assertTrue(reason(0).contains("positive"), reason(0));
    }

    @Test
    void withoutAReporterABadRecordStopsTheTaskRatherThanBeingLost() {
        TargetStoreSinkTask strict = startTask(new RecordingSinkContext(false), Map.of());
        SinkRecord noVersion = new SinkRecord("t", 0, KEY, key(4), ROW, row(4, "y"), offset++);

        assertThrows(DataException.class, () -> strict.put(List.of(noVersion)));
    }

    @Test
    void missingTableFailsAtStartWithAPreciseMessage() {
        ConnectException error = assertThrows(
                ConnectException.class,
                () -> startTask(new RecordingSinkContext(true), Map.of("target.table", "no_such_table")));
        assertTrue(error.getMessage().contains("no_such_table does not exist"), error.getMessage());
    }

    @Test
    void tableWithoutLineageColumnsFailsAtStartNamingThem() {
        execute("ALTER TABLE " + TABLE + " DROP COLUMN lineage_rule");

        ConnectException error =
                assertThrows(ConnectException.class, () -> startTask(new RecordingSinkContext(true), Map.of()));
        assertTrue(error.getMessage().contains("[lineage_rule]"), error.getMessage());
    }

    String reason(int index) {
        return context.reasons.get(index).getMessage();
    }

    SinkRecord upsert(long id, String name, long version) {
        return versioned(
                new SinkRecord("legacy.public.customer", 0, KEY, key(id), ROW, row(id, name), offset++), version);
    }

    SinkRecord delete(long id, long version) {
        return versioned(new SinkRecord("legacy.public.customer", 0, KEY, key(id), null, null, offset++), version);
    }

    static SinkRecord versioned(SinkRecord record, long version) {
        record.headers().addLong(Field.SOURCE_POSITION.header(), version);
        return record;
    }

    static Struct key(long id) {
        return new Struct(KEY).put("id", id);
    }

    static Struct row(long id, String name) {
        return new Struct(ROW).put("id", id).put("name", name).put("balance", new BigDecimal("1.00"));
    }

    List<String> liveRows() {
        List<String> rows = new ArrayList<>();
        for (List<Object> row :
                query("SELECT id, name FROM " + TABLE + " WHERE lineage_deleted_at IS NULL ORDER BY id")) {
            rows.add(row.get(0) + "|" + row.get(1));
        }
        return rows;
    }

    List<Long> markers() {
        List<Long> ids = new ArrayList<>();
        for (List<Object> row :
                query("SELECT id FROM " + TABLE + " WHERE lineage_deleted_at IS NOT NULL ORDER BY id")) {
            ids.add(((Number) row.get(0)).longValue());
        }
        return ids;
    }

    Object single(String sql) {
        return query(sql).get(0).get(0);
    }

    /** Epoch milliseconds of timestamp columns of the only row, read through JDBC as instants. */
    abstract List<Long> epochMillis(String... columns);

    private static boolean truthy(Object value) {
        return Boolean.TRUE.equals(value) || (value instanceof Number && ((Number) value).intValue() == 1);
    }
}
