package io.rollingmigration.connect.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rollingmigration.connect.common.status.StatusTopic;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The latest status report of every task and unit, followed from the compacted status topic on a thread of its
 * own: read from the beginning when the worker starts, then as the plugins publish. Every worker holds the whole
 * cluster's reports this way, without asking the other workers.
 */
final class StatusBoard implements StatusReports, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(StatusBoard.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A report as this worker last read it. */
    record Report(JsonNode value, long readAtMillis) {
        String kind() {
            return value.path("kind").asText();
        }

        String unit() {
            return value.path("unit").asText();
        }

        String connector() {
            return value.path("connector").asText();
        }

        int task() {
            return value.path("task").asInt();
        }

        long publishedAt() {
            return value.path("published_at_ms").asLong();
        }

        long interval() {
            return value.path("interval_ms").asLong(10_000);
        }

        JsonNode figures() {
            return value.path("figures");
        }

        boolean stopped() {
            return "STOPPED".equals(value.path("state").asText());
        }
    }

    private final Map<String, Report> reports = new ConcurrentHashMap<>();
    private final String topic;
    private final Map<String, Object> client;
    private final Thread thread;
    private volatile KafkaConsumer<byte[], byte[]> consumer;
    private volatile boolean caughtUp;
    private volatile boolean closed;

    StatusBoard(String topic, Map<String, Object> client) {
        this.topic = topic;
        this.client = client;
        this.thread = new Thread(this::follow, "migration-dashboard-status");
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /** Every task's latest report. */
    @Override
    public List<Report> reports() {
        return new ArrayList<>(reports.values());
    }

    /** True once the topic has been read up to where it ended when the worker started. */
    @Override
    public boolean caughtUp() {
        return caughtUp;
    }

    private void follow() {
        while (!closed) {
            try {
                StatusTopic.ensure(client, topic)
                        .ifPresent(error -> log.warn("Could not create the status topic {}: {}", topic, error));
                Map<String, Object> settings = new HashMap<>(client);
                settings.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
                settings.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
                settings.putIfAbsent(ConsumerConfig.CLIENT_ID_CONFIG, "migration-dashboard");
                try (KafkaConsumer<byte[], byte[]> reader =
                        new KafkaConsumer<>(settings, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
                    consumer = reader;
                    read(reader);
                }
            } catch (WakeupException e) {
                return;
            } catch (RuntimeException e) {
                if (closed) {
                    return;
                }
                log.warn("Reading the status topic {} failed; reading it again in 5 s: {}", topic, e.toString());
                try {
                    Thread.sleep(5_000);
                } catch (InterruptedException interrupted) {
                    return;
                }
            }
        }
    }

    private void read(KafkaConsumer<byte[], byte[]> reader) {
        List<TopicPartition> partitions = reader.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                .map(info -> new TopicPartition(topic, info.partition()))
                .collect(Collectors.toList());
        reader.assign(partitions);
        reader.seekToBeginning(partitions);
        Map<TopicPartition, Long> ends = reader.endOffsets(partitions);
        while (!closed) {
            for (ConsumerRecord<byte[], byte[]> record : reader.poll(Duration.ofMillis(500))) {
                take(record);
            }
            if (!caughtUp && ends.entrySet().stream().allMatch(e -> reader.position(e.getKey()) >= e.getValue())) {
                caughtUp = true;
                log.info("Status topic {} read: {} task reports", topic, reports.size());
            }
        }
    }

    private void take(ConsumerRecord<byte[], byte[]> record) {
        if (record.key() == null) {
            return;
        }
        String key = new String(record.key(), StandardCharsets.UTF_8);
        if (record.value() == null) {
            reports.remove(key);
            return;
        }
        try {
            reports.put(key, new Report(JSON.readTree(record.value()), System.currentTimeMillis()));
        } catch (java.io.IOException e) {
            log.debug("Not a status report at {}@{}: {}", record.partition(), record.offset(), e.getMessage());
        }
    }

    @Override
    public void close() {
        closed = true;
        KafkaConsumer<byte[], byte[]> reader = consumer;
        if (reader != null) {
            reader.wakeup();
        }
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
