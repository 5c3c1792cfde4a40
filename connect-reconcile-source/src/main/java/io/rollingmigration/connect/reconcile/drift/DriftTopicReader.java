package io.rollingmigration.connect.reconcile.drift;

import io.rollingmigration.connect.common.drift.DriftKind;
import io.rollingmigration.connect.common.drift.Severity;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.connect.errors.ConnectException;

/**
 * Reads the drift topic from its start to its end when a task starts: the latest record per key of one aggregate
 * says whether that drift is open (a value) or resolved (a tombstone). It relies only on the records' string
 * headers, so it works whatever key and value converters the worker uses.
 */
public final class DriftTopicReader {

    private static final Duration POLL = Duration.ofMillis(500);

    private DriftTopicReader() {}

    public static OpenDriftSet read(
            String bootstrapServers,
            Map<String, Object> consumerSettings,
            String topic,
            String aggregate,
            Duration timeout) {
        Map<String, Object> settings = new HashMap<>(consumerSettings);
        settings.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        settings.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        settings.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        settings.putIfAbsent(ConsumerConfig.CLIENT_ID_CONFIG, "reconcile-drift-state-" + aggregate);
        OpenDriftSet open = new OpenDriftSet();
        long deadline = System.currentTimeMillis() + timeout.toMillis();
        try (KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(settings, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<PartitionInfo> partitions = consumer.partitionsFor(topic, timeout);
            if (partitions == null || partitions.isEmpty()) {
                return open;
            }
            List<TopicPartition> assigned = new ArrayList<>();
            partitions.forEach(p -> assigned.add(new TopicPartition(topic, p.partition())));
            consumer.assign(assigned);
            consumer.seekToBeginning(assigned);
            Map<TopicPartition, Long> end = consumer.endOffsets(assigned, timeout);
            while (!caughtUp(consumer, end)) {
                if (System.currentTimeMillis() > deadline) {
                    throw new ConnectException("Could not read drift topic '" + topic + "' to its end within "
                            + timeout.toMillis() + " ms");
                }
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL)) {
                    apply(open, record, aggregate);
                }
            }
        } catch (KafkaException e) {
            throw new ConnectException(
                    "Could not read drift topic '" + topic + "' from " + bootstrapServers + ": " + e.getMessage(), e);
        }
        return open;
    }

    private static boolean caughtUp(KafkaConsumer<byte[], byte[]> consumer, Map<TopicPartition, Long> end) {
        for (Map.Entry<TopicPartition, Long> partition : end.entrySet()) {
            if (consumer.position(partition.getKey()) < partition.getValue()) {
                return false;
            }
        }
        return true;
    }

    static void apply(OpenDriftSet open, ConsumerRecord<byte[], byte[]> record, String aggregate) {
        if (!aggregate.equals(header(record, DriftRecords.HEADER_AGGREGATE))) {
            return;
        }
        String targetKey = header(record, DriftRecords.HEADER_TARGET_KEY);
        if (targetKey == null) {
            return;
        }
        if (record.value() == null) {
            open.remove(targetKey);
            return;
        }
        try {
            open.put(new OpenDrift(
                    targetKey,
                    header(record, DriftRecords.HEADER_LEGACY_KEY),
                    DriftKind.valueOf(header(record, DriftRecords.HEADER_KIND)),
                    Severity.valueOf(header(record, DriftRecords.HEADER_SEVERITY)),
                    header(record, DriftRecords.HEADER_RANGE),
                    Long.parseLong(header(record, DriftRecords.HEADER_FIRST_DETECTED)),
                    Long.parseLong(header(record, DriftRecords.HEADER_RECHECKS))));
        } catch (RuntimeException e) {
            // A record written by something else under our headers: not ours to track.
        }
    }

    /**
     * A string header's text. Connect's default header converter writes strings as their UTF-8 bytes; a JSON
     * header converter wraps them in quotes, which are taken off.
     */
    static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        if (header == null || header.value() == null) {
            return null;
        }
        String text = new String(header.value(), StandardCharsets.UTF_8);
        if (text.length() >= 2 && text.startsWith("\"") && text.endsWith("\"")) {
            text = text.substring(1, text.length() - 1).replace("\\\"", "\"").replace("\\\\", "\\");
        }
        return text;
    }
}
