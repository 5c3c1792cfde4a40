package io.rollingmigration.testsupport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.connect.util.clusters.EmbeddedKafkaCluster;

/** Reads whole topics written with Connect's JSON converter, as JSON, with their headers. */
public final class TopicReader {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final EmbeddedKafkaCluster kafka;

    TopicReader(EmbeddedKafkaCluster kafka) {
        this.kafka = kafka;
    }

    /** Every record currently in the topic, from the beginning to the end offsets seen now. */
    public List<TopicRecord> readAll(String topic) {
        Map<String, Object> props = Map.of(
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false",
                ConsumerConfig.GROUP_ID_CONFIG, "topic-reader-" + System.nanoTime());
        try (KafkaConsumer<byte[], byte[]> consumer = kafka.createConsumer(props)) {
            List<PartitionInfo> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(10));
            if (partitions == null || partitions.isEmpty()) {
                return List.of();
            }
            List<TopicPartition> assigned = partitions.stream()
                    .map(p -> new TopicPartition(topic, p.partition()))
                    .collect(Collectors.toList());
            consumer.assign(assigned);
            consumer.seekToBeginning(assigned);
            Map<TopicPartition, Long> end = consumer.endOffsets(assigned, Duration.ofSeconds(10));
            List<TopicRecord> records = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (assigned.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("Could not read " + topic + " to its end offsets " + end);
                }
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    records.add(new TopicRecord(record));
                }
            }
            return records;
        }
    }

    /** Waits until the topic holds records that pass {@code accept}, and returns them all. */
    public List<TopicRecord> await(String topic, Duration timeout, String what, Predicate<List<TopicRecord>> accept) {
        return Await.value(timeout, what + " in topic " + topic, () -> readAll(topic), accept);
    }

    /** One record: key and value parsed from the JSON converter's envelope ({@code payload} unwrapped). */
    public static final class TopicRecord {
        private final ConsumerRecord<byte[], byte[]> record;

        TopicRecord(ConsumerRecord<byte[], byte[]> record) {
            this.record = record;
        }

        public JsonNode key() {
            return payload(record.key());
        }

        /** The value's payload, or {@code null} for a tombstone. */
        public JsonNode value() {
            return payload(record.value());
        }

        public boolean isTombstone() {
            return record.value() == null;
        }

        public Map<String, String> headers() {
            Map<String, String> headers = new LinkedHashMap<>();
            for (Header header : record.headers()) {
                headers.put(
                        header.key(),
                        header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8));
            }
            return headers;
        }

        public ConsumerRecord<byte[], byte[]> raw() {
            return record;
        }

        private static JsonNode payload(byte[] bytes) {
            if (bytes == null) {
                return null;
            }
            try {
                JsonNode node = JSON.readTree(bytes);
                return node.has("schema") && node.has("payload") ? node.get("payload") : node;
            } catch (IOException e) {
                throw new IllegalStateException("Not JSON: " + new String(bytes, StandardCharsets.UTF_8), e);
            }
        }

        @Override
        public String toString() {
            return "key=" + key() + " value=" + value() + " headers=" + headers();
        }
    }
}
