package io.rollingmigration.benchmarks.pipeline;

import io.rollingmigration.testsupport.PostgresFixture;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Where a step's CPU went, per part of the pipeline: this JVM's threads grouped by role (sink task, source task,
 * Debezium, producer, broker, generator), the rest of this JVM (GC, JIT), PostgreSQL's backends grouped by what
 * they serve (legacy writers, walsenders, the target), and the whole machine including time stolen by the
 * hypervisor. On two shared cores the parts compete, so a pipeline is only as fast as its total cost per change.
 *
 * <p>Linux only ({@code /proc}); elsewhere the ledger is empty. Short-lived PostgreSQL processes (autovacuum
 * workers, the benchmark's own queries) are not followed and show only in the machine's total.
 */
final class CpuLedger {

    private static final Path PROC = Path.of("/proc");
    private static final double TICK_NANOS = 1e9 / 100; // USER_HZ is 100 on every Linux build this runs on
    private static final List<String> PARTS = List.of(
            "sink task",
            "floor sink task",
            "source task",
            "debezium",
            "producer",
            "status records",
            "broker",
            "generator",
            "jvm other",
            "pg legacy",
            "pg walsender",
            "pg target",
            "pg other",
            "machine busy",
            "machine steal");

    /** The connector whose task is the floor of a sink lane (see {@link DiscardingSinkConnector}). */
    static final String FLOOR_CONNECTOR = "bench-floor";

    private final PostgresFixture postgres;
    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();

    CpuLedger(PostgresFixture postgres) {
        this.postgres = postgres;
    }

    /** CPU nanoseconds spent so far by each part. */
    Map<String, Long> snapshot() {
        Map<String, Long> spent = new LinkedHashMap<>();
        PARTS.forEach(part -> spent.put(part, 0L));
        if (!Files.isReadable(PROC.resolve("stat"))) {
            return spent;
        }
        long javaThreads = 0;
        for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (info == null) {
                continue;
            }
            long nanos = threads.getThreadCpuTime(info.getThreadId());
            if (nanos > 0) {
                spent.merge(jvmPart(info.getThreadName()), nanos, Long::sum);
                javaThreads += nanos;
            }
        }
        spent.merge(
                "jvm other",
                Math.max(0, processTicks("self") - Math.round(javaThreads / TICK_NANOS)) * (long) TICK_NANOS,
                Long::sum);
        for (List<Object> backend : postgres.query(
                "postgres",
                "SELECT pid, backend_type, coalesce(datname, '') "
                        + "FROM pg_stat_activity WHERE pid <> pg_backend_pid()")) {
            long ticks = processTicks(backend.get(0).toString());
            spent.merge(
                    pgPart(backend.get(1).toString(), backend.get(2).toString()), ticks * (long) TICK_NANOS, Long::sum);
        }
        long[] machine = machineTicks();
        spent.put("machine busy", machine[0] * (long) TICK_NANOS);
        spent.put("machine steal", machine[1] * (long) TICK_NANOS);
        return spent;
    }

    /** What each part spent between two snapshots, over {@code changes} changes. */
    static Spent between(Map<String, Long> before, Map<String, Long> after, long changes) {
        Map<String, Long> spent = new LinkedHashMap<>();
        PARTS.forEach(part -> spent.put(part, after.get(part) - before.get(part)));
        return new Spent(spent, changes);
    }

    /** CPU nanoseconds per part over a step's changes; all zero where {@code /proc} is missing. */
    record Spent(Map<String, Long> nanos, long changes) {

        /** Both steps' CPU and changes together. */
        Spent plus(Spent other) {
            Map<String, Long> sum = new LinkedHashMap<>(nanos);
            other.nanos.forEach((part, spent) -> sum.merge(part, spent, Long::sum));
            return new Spent(sum, changes + other.changes);
        }

        boolean measured() {
            return changes > 0 && nanos.get("machine busy") > 0;
        }

        /** Milliseconds of CPU the part spent per 1,000 changes. */
        double perThousand(String part) {
            return nanos.get(part) / 1e6 / (changes / 1000.0);
        }

        String describe() {
            if (!measured()) {
                return "CPU per part not measured here";
            }
            return "CPU ms per 1,000 changes: "
                    + PARTS.stream()
                            .map(part -> String.format(Locale.ROOT, "%s %.0f", part, perThousand(part)))
                            .collect(Collectors.joining(", "));
        }
    }

    private static String jvmPart(String thread) {
        // A status publisher's own thread and its producer's network thread.
        if (thread.startsWith("migration-status-") || thread.contains("| migration-status-")) {
            return "status records";
        }
        if (thread.startsWith("task-thread-" + FLOOR_CONNECTOR + "-")) {
            return "floor sink task";
        }
        if (thread.startsWith("task-thread-")) {
            return thread.contains("-sink-") ? "sink task" : "source task";
        }
        if (thread.contains("debezium") || thread.contains("postgres-connector")) {
            return "debezium";
        }
        if (thread.startsWith("kafka-producer-network-thread")) {
            return "producer";
        }
        if (thread.startsWith("legacy-writer")) {
            return "generator";
        }
        return "broker";
    }

    private static String pgPart(String backendType, String database) {
        if ("walsender".equals(backendType)) {
            return "pg walsender";
        }
        if ("client backend".equals(backendType)) {
            return database.startsWith("legacy")
                    ? "pg legacy"
                    : PostgresFixture.TARGET.equals(database) ? "pg target" : "pg other";
        }
        return "pg other";
    }

    /** utime + stime of a process, in clock ticks; 0 if it is gone or not readable. */
    private static long processTicks(String pid) {
        try {
            String stat = Files.readString(PROC.resolve(pid).resolve("stat"));
            // The command name may hold spaces; fields are counted from the closing parenthesis.
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    /** All CPUs: busy ticks (everything but idle, iowait and steal) and stolen ticks. */
    private static long[] machineTicks() {
        try {
            String[] cpu =
                    Files.readAllLines(PROC.resolve("stat")).get(0).trim().split("\\s+");
            long busy = 0;
            for (int i = 1; i <= 7; i++) {
                if (i != 4 && i != 5) {
                    busy += Long.parseLong(cpu[i]);
                }
            }
            return new long[] {busy, Long.parseLong(cpu[8])};
        } catch (IOException | RuntimeException e) {
            return new long[] {0, 0};
        }
    }
}
