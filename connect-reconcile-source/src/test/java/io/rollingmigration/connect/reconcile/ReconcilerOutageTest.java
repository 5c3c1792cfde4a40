package io.rollingmigration.connect.reconcile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rollingmigration.connect.reconcile.drift.OpenDriftSet;
import io.rollingmigration.testsupport.PostgresFixture;
import io.rollingmigration.testsupport.StoredOffsetContext;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.RetriableException;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Both of the reconciler's databases on one server of its own, which goes away in the middle of a run: stopped (a
 * refused connection) or frozen (a hang). The task retries within its socket timeout, keeps its position, and the
 * run ends with every row compared and no false drift.
 */
class ReconcilerOutageTest {

    private static final int POLICIES = 30;
    private static PostgresFixture server;
    private final AtomicLong now = new AtomicLong(System.currentTimeMillis());
    private ReconcileSourceTask task;

    @BeforeAll
    static void ownServer() {
        server = PostgresFixture.startOwned();
        server.createDatabase(PostgresFixture.LEGACY);
        server.createDatabase(PostgresFixture.TARGET);
        PolicyTables.inLine(server, POLICIES, "2026-01-01 10:00:00");
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    @AfterEach
    void stopTask() {
        if (task != null) {
            task.stop();
        }
    }

    private ReconcileSourceTask start() {
        Map<String, String> config = PolicyTables.settings(server);
        config.put("chunk.size", "3");
        config.put("interval.ms", "60000");
        config.put("recheck.delay.ms", "0");
        config.put("retry.backoff.ms", "10");
        config.put("statement.timeout.ms", "1000");
        config.put("legacy.connection.socket.timeout.ms", "2000");
        config.put("target.connection.socket.timeout.ms", "2000");
        task = new ReconcileSourceTask(now::get, (c, aggregate) -> new OpenDriftSet());
        task.initialize(new StoredOffsetContext(null));
        task.start(config);
        return task;
    }

    @Test
    void aRunThroughAFrozenServerResumesAndEndsInLine() throws Exception {
        start();
        List<SourceRecord> records = new ArrayList<>(pollSome(3));
        server.freezeServer();
        try {
            assertTimeoutPreemptively(
                    Duration.ofSeconds(30),
                    () -> assertThrows(RetriableException.class, this::pollUntilFailure),
                    "a hung database ends the wait at the socket timeout");
        } finally {
            server.thawServer();
        }
        records.addAll(untilFinalSummary());
        assertInLine(records);
    }

    @Test
    void aRunThroughAStoppedServerResumesAndEndsInLine() throws Exception {
        start();
        List<SourceRecord> records = new ArrayList<>(pollSome(3));
        server.stopServer();
        try {
            assertThrows(RetriableException.class, this::pollUntilFailure);
            assertThrows(RetriableException.class, this::pollUntilFailure, "and again: the policy is by time");
        } finally {
            server.startServer();
        }
        records.addAll(untilFinalSummary());
        assertInLine(records);
    }

    private List<SourceRecord> pollSome(int polls) throws InterruptedException {
        List<SourceRecord> records = new ArrayList<>();
        for (int i = 0; i < polls; i++) {
            List<SourceRecord> batch = task.poll();
            now.addAndGet(50);
            if (batch != null) {
                records.addAll(batch);
            }
        }
        return records;
    }

    private void pollUntilFailure() throws InterruptedException {
        for (int i = 0; i < 1000; i++) {
            task.poll();
            now.addAndGet(50);
        }
    }

    private List<SourceRecord> untilFinalSummary() throws InterruptedException {
        List<SourceRecord> records = new ArrayList<>();
        for (int polls = 0; polls < 400; polls++) {
            List<SourceRecord> batch;
            try {
                batch = task.poll();
            } catch (RetriableException stillComingBack) {
                batch = null;
            }
            now.addAndGet(50);
            if (batch != null) {
                records.addAll(batch);
                if (batch.stream().anyMatch(TaskRuns::isFinalSummary)) {
                    return records;
                }
            }
        }
        throw new AssertionError("no final summary after the outage: " + records);
    }

    private static void assertInLine(List<SourceRecord> records) {
        Struct summary = records.stream()
                .filter(TaskRuns::isFinalSummary)
                .map(r -> (Struct) r.value())
                .reduce((a, b) -> b)
                .orElseThrow();
        assertEquals(POLICIES, summary.getInt64("matched"), summary.toString());
        assertEquals(0L, summary.getInt64("open_drift"), summary.toString());
        assertTrue(records.stream().noneMatch(r -> r.topic().equals("drift") && r.value() != null), "no false drift");
    }
}
