package io.rollingmigration.benchmarks.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rollingmigration.testsupport.ConnectClusterFixture;
import io.rollingmigration.testsupport.PostgresFixture;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.LongSummaryStatistics;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.record.TimestampType;

/**
 * Splits each change's lag where Kafka appended it: the topics stamp records with the broker's append time
 * ({@code LogAppendTime}), so legacy write to append is the Debezium source's part (decoding, conversion, produce)
 * and append to target row is the sink's (fetch, conversion, transforms, write). The two parts tell which side of
 * the topic a backlog formed on, which the end-to-end lag alone cannot.
 *
 * <p>Read after a step has caught up, outside its measured time: the records of the step's offset range (the source
 * snapshots no data, so every offset is one change) joined by legacy id with the step's target rows.
 */
final class KafkaSplit {

    /** Topic config for every contender's topic, so that record timestamps are the broker's append time. */
    static final Map<String, String> TOPIC_CONFIG = Map.of("message.timestamp.type", "LogAppendTime");

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration READ_LIMIT = Duration.ofSeconds(120);

    private final ConnectClusterFixture connect;
    private final PostgresFixture postgres;

    KafkaSplit(ConnectClusterFixture connect, PostgresFixture postgres) {
        this.connect = connect;
        this.postgres = postgres;
    }

    /** The two parts of the lag of the changes at offsets [{@code firstOffset}, {@code firstOffset + changes}). */
    Split measure(Contender contender, int step, long firstOffset, long changes) throws Exception {
        TargetRows rows = targetRows(contender, step, (int) changes);
        long[] sourceUs = new long[(int) changes];
        long[] sinkUs = new long[(int) changes];
        int matched = 0;
        long bytes = 0;
        long[] sourceWorst = new long[rows.seconds];
        long[] sinkWorst = new long[rows.seconds];
        TopicPartition partition = new TopicPartition(contender.topic(), 0);
        Map<String, Object> props = Map.of(
                ConsumerConfig.GROUP_ID_CONFIG,
                "lag-split-" + System.nanoTime(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                "false",
                ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG,
                Integer.toString(8 << 20));
        try (KafkaConsumer<byte[], byte[]> consumer = connect.cluster().kafka().createConsumer(props)) {
            consumer.assign(List.of(partition));
            consumer.seek(partition, firstOffset);
            long end = firstOffset + changes;
            long deadline = System.nanoTime() + READ_LIMIT.toNanos();
            while (consumer.position(partition) < end && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    if (record.offset() >= end) {
                        break;
                    }
                    if (record.timestampType() != TimestampType.LOG_APPEND_TIME) {
                        throw new IllegalStateException("topic " + contender.topic() + " does not stamp append time");
                    }
                    bytes += Math.max(0, record.serializedKeySize()) + Math.max(0, record.serializedValueSize());
                    int row = rows.indexOf(legacyId(record.key()));
                    if (row >= 0) {
                        long appendedUs = record.timestamp() * 1000;
                        sourceUs[matched] = appendedUs - rows.writtenUs[row];
                        sinkUs[matched] = rows.appliedUs[row] - appendedUs;
                        int second = (int) ((rows.writtenUs[row] - rows.firstWrittenUs) / 1_000_000);
                        sourceWorst[second] = Math.max(sourceWorst[second], sourceUs[matched]);
                        sinkWorst[second] = Math.max(sinkWorst[second], sinkUs[matched]);
                        matched++;
                    }
                }
            }
        }
        return new Split(
                matched,
                changes == 0 ? 0 : bytes / changes,
                Percentiles.of(sourceUs, matched),
                Percentiles.of(sinkUs, matched),
                sourceWorst,
                sinkWorst);
    }

    private static long legacyId(byte[] key) throws IOException {
        JsonNode node = JSON.readTree(key);
        return node.path("payload").path("id").asLong(Long.MIN_VALUE);
    }

    /** The step's target rows; every change of a step is one row, so there are at most {@code changes}. */
    private TargetRows targetRows(Contender contender, int step, int changes) throws SQLException {
        long[] ids = new long[changes];
        long[] writtenUs = new long[changes];
        long[] appliedUs = new long[changes];
        int count = 0;
        try (Connection connection = postgres.connect(PostgresFixture.TARGET)) {
            connection.setAutoCommit(false);
            try (PreparedStatement select = connection.prepareStatement("SELECT " + contender.legacyIdColumn()
                    + ", written_us, applied_us FROM " + contender.targetTable() + " WHERE step = ? ORDER BY "
                    + contender.legacyIdColumn())) {
                select.setInt(1, step);
                select.setFetchSize(10_000);
                try (ResultSet result = select.executeQuery()) {
                    while (result.next() && count < changes) {
                        ids[count] = result.getLong(1);
                        writtenUs[count] = result.getLong(2);
                        appliedUs[count] = result.getLong(3);
                        count++;
                    }
                }
            }
            connection.commit();
        }
        return new TargetRows(ids, writtenUs, appliedUs, count);
    }

    /** The step's target rows in legacy id order, as parallel arrays: a few hundred thousand rows in a 1 GB heap. */
    private static final class TargetRows {
        final long[] ids;
        final long[] writtenUs;
        final long[] appliedUs;
        final int count;
        final long firstWrittenUs;
        /** How many seconds of the step wrote its changes. */
        final int seconds;

        TargetRows(long[] ids, long[] writtenUs, long[] appliedUs, int count) {
            this.ids = ids;
            this.writtenUs = writtenUs;
            this.appliedUs = appliedUs;
            this.count = count;
            LongSummaryStatistics written = Arrays.stream(writtenUs, 0, count).summaryStatistics();
            this.firstWrittenUs = count == 0 ? 0 : written.getMin();
            this.seconds = count == 0 ? 1 : 1 + (int) ((written.getMax() - firstWrittenUs) / 1_000_000);
        }

        int indexOf(long id) {
            int at = Arrays.binarySearch(ids, 0, count, id);
            return at >= 0 ? at : -1;
        }
    }

    /** p50, p99 and max of one part, in milliseconds. */
    record Percentiles(double p50Ms, double p99Ms, double maxMs) {

        static Percentiles of(long[] micros, int count) {
            if (count == 0) {
                return new Percentiles(Double.NaN, Double.NaN, Double.NaN);
            }
            long[] sorted = Arrays.copyOf(micros, count);
            Arrays.sort(sorted);
            return new Percentiles(at(sorted, 0.5), at(sorted, 0.99), sorted[count - 1] / 1000.0);
        }

        private static double at(long[] sorted, double quantile) {
            return sorted[(int) Math.min(sorted.length - 1, Math.floor(quantile * sorted.length))] / 1000.0;
        }
    }

    /**
     * A step's lag split at Kafka: {@code changes} joined, the size of a change event in the topic (key and value as
     * serialized, before any compression), the source's part and the sink's part.
     */
    record Split(
            int changes,
            long bytesPerChange,
            Percentiles source,
            Percentiles sink,
            long[] sourceWorstUs,
            long[] sinkWorstUs) {

        String describe() {
            return String.format(
                    Locale.ROOT,
                    "split at Kafka's append time over %,d changes of %,d bytes: source "
                            + "p50 %.0f ms, p99 %.0f ms, max %.0f ms; sink p50 %.0f ms, p99 %.0f ms, max %.0f ms",
                    changes,
                    bytesPerChange,
                    source.p50Ms(),
                    source.p99Ms(),
                    source.maxMs(),
                    sink.p50Ms(),
                    sink.p99Ms(),
                    sink.maxMs());
        }

        /** Second by second of the step (by legacy write time), the largest source and sink parts: a lag's shape. */
        String bySecond() {
            return "worst source/sink part per second of the step, ms: "
                    + IntStream.range(0, sinkWorstUs.length)
                            .mapToObj(i -> sourceWorstUs[i] / 1000 + "/" + sinkWorstUs[i] / 1000)
                            .collect(Collectors.joining(" "));
        }
    }
}
