package io.rollingmigration.benchmarks.pipeline;

import io.rollingmigration.testsupport.PostgresFixture;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Lag from legacy write to target row, read from the target after the fact: every change of a step is one target
 * row (no key changes twice in a step) holding the legacy write time and the time the trigger stamped on apply.
 */
final class TargetLag {

    private static final long POLL_MILLIS = 500;
    private static final long REPORT_NANOS = 5_000_000_000L;

    private final PostgresFixture postgres;
    private final Admin admin;

    TargetLag(PostgresFixture postgres, Admin admin) {
        this.postgres = postgres;
        this.admin = admin;
    }

    /**
     * Waits until the target holds every one of the step's {@code stepChanges}. The target is counted only once the
     * sink's committed offset says it has consumed all {@code published} changes (or at the deadline), so waiting
     * adds no scans to the database the sink is writing. False if rows were still missing at the deadline.
     */
    boolean awaitCaughtUp(Contender contender, long published, int step, long stepChanges, Duration limit)
            throws Exception {
        long started = System.nanoTime();
        long deadline = started + limit.toNanos();
        long lastReport = started;
        while (true) {
            long consumed = committedOffset(contender);
            long now = System.nanoTime();
            boolean last = now > deadline;
            if ((consumed >= published || last) && appliedRows(contender, step) >= stepChanges) {
                return true;
            }
            if (last) {
                PipelineBenchmark.say(String.format(
                        Locale.ROOT,
                        "  %s: not caught up after %d s: topic holds %d "
                                + "changes, the sink consumed %d of %d, target has %d of the step's %d rows",
                        contender.name(),
                        limit.toSeconds(),
                        endOffset(contender),
                        consumed,
                        published,
                        appliedRows(contender, step),
                        stepChanges));
                return false;
            }
            if (now - lastReport > REPORT_NANOS) {
                lastReport = now;
                PipelineBenchmark.say(String.format(
                        Locale.ROOT,
                        "  %s: catching up: %d of %d changes in the topic, " + "%d consumed by the sink",
                        contender.name(),
                        endOffset(contender),
                        published,
                        consumed));
            }
            Thread.sleep(POLL_MILLIS);
        }
    }

    /**
     * Where the changes not yet applied are when the load stops: not yet in Kafka (Debezium's side, shared by both
     * contenders) or in Kafka but not yet consumed by the sink.
     */
    String backlog(Contender contender, long published) throws Exception {
        long inKafka = endOffset(contender);
        long consumed = committedOffset(contender);
        return String.format(
                Locale.ROOT,
                "when the load stopped: %,d changes not yet in Kafka, %,d in Kafka not yet "
                        + "committed by the sink; machine load average %.1f on %d cores",
                Math.max(0, published - inKafka),
                Math.max(0, inKafka - consumed),
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(),
                Runtime.getRuntime().availableProcessors());
    }

    /**
     * Percentiles of (applied - written) over the step's rows, in milliseconds, and the median over the changes of
     * the step's last second: near the p50 when the pipeline kept pace, near the tail when a backlog built up.
     */
    StepLag measure(Contender contender, int step) {
        String lag = "applied_us - written_us";
        String rows = contender.targetTable() + " WHERE step = " + step;
        List<Object> row = postgres.query(
                        PostgresFixture.TARGET,
                        "SELECT count(*), "
                                + "percentile_cont(0.5) WITHIN GROUP (ORDER BY " + lag + "), "
                                + "percentile_cont(0.99) WITHIN GROUP (ORDER BY " + lag + "), max(" + lag + "), "
                                + "(SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY " + lag + ") FROM " + rows
                                + " AND written_us > (SELECT max(written_us) - 1000000 FROM " + rows + ")), "
                                // Where in the step the lag went over the limit: one stall, a slow start, or a backlog
                                // growing.
                                + "(SELECT (written_us - (SELECT min(written_us) FROM " + rows + ")) FROM " + rows
                                + " ORDER BY "
                                + lag + " DESC LIMIT 1), "
                                + "(SELECT count(DISTINCT (written_us - (SELECT min(written_us) FROM " + rows
                                + ")) / 1000000) FROM "
                                + rows + " AND " + lag + " > " + (long) (Plan.P99_LIMIT_MS * 1000) + ") FROM " + rows)
                .get(0);
        return new StepLag(
                ((Number) row.get(0)).longValue(),
                millis(row.get(1)),
                millis(row.get(2)),
                millis(row.get(3)),
                millis(row.get(4)),
                millis(row.get(5)) / 1000.0,
                row.get(6) == null ? 0 : ((Number) row.get(6)).longValue());
    }

    private long appliedRows(Contender contender, int step) {
        return ((Number) postgres.query(
                                PostgresFixture.TARGET,
                                "SELECT count(*) FROM " + contender.targetTable() + " WHERE step = " + step)
                        .get(0)
                        .get(0))
                .longValue();
    }

    private long committedOffset(Contender contender) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(contender.sinkGroup())
                .partitionsToOffsetAndMetadata()
                .get(10, TimeUnit.SECONDS);
        OffsetAndMetadata offset = offsets.get(partition(contender));
        return offset == null ? 0 : offset.offset();
    }

    private long endOffset(Contender contender) throws Exception {
        TopicPartition partition = partition(contender);
        return admin.listOffsets(Map.of(partition, OffsetSpec.latest()))
                .partitionResult(partition)
                .get(10, TimeUnit.SECONDS)
                .offset();
    }

    private static TopicPartition partition(Contender contender) {
        return new TopicPartition(contender.topic(), 0);
    }

    private static double millis(Object micros) {
        return micros == null ? Double.NaN : ((Number) micros).doubleValue() / 1000.0;
    }

    /**
     * The lag of one step's changes.
     *
     * @param worstAtSecond       when the change with the largest lag was written, in seconds into the step
     * @param secondsOverLimit    how many of the step's seconds wrote a change whose lag went over the p99 limit
     */
    record StepLag(
            long rows,
            double p50Ms,
            double p99Ms,
            double maxMs,
            double lastSecondP50Ms,
            double worstAtSecond,
            long secondsOverLimit) {}
}
