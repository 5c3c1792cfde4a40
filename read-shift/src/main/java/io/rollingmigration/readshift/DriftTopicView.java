package io.rollingmigration.readshift;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * The reconciler's open drift as its compacted drift topic holds it (the latest record per key; a tombstone closes
 * one), read from the beginning and then followed, on a thread of its own. Records in JSON with or without the
 * schema envelope. A unit's drift is that of its aggregate and of the aggregate's fragments
 * ({@code <aggregate>.<table>}); the reverse direction's ({@code <aggregate>.reverse}) too.
 */
public final class DriftTopicView implements OpenDrift, AutoCloseable {

    private final ObjectMapper json = new ObjectMapper();
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final String topic;
    private final Map<String, String> openByKey = new ConcurrentHashMap<>();
    private final Thread thread;
    private volatile boolean running = true;

    private DriftTopicView(Map<String, Object> consumerSettings, String topic) {
        Map<String, Object> settings = new HashMap<>(consumerSettings);
        settings.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        settings.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        settings.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        settings.remove(ConsumerConfig.GROUP_ID_CONFIG);
        this.consumer = new KafkaConsumer<>(settings);
        this.topic = topic;
        this.thread = new Thread(this::run, "read-shift-drift");
        this.thread.setDaemon(true);
    }

    /** Follows the drift topic; {@code consumerSettings} at least {@code bootstrap.servers}. */
    public static DriftTopicView follow(Map<String, Object> consumerSettings, String topic) {
        DriftTopicView view = new DriftTopicView(consumerSettings, topic);
        view.thread.start();
        return view;
    }

    @Override
    public long seriousOpenDrift(String unit) {
        long serious = 0;
        for (Map.Entry<String, String> open : openByKey.entrySet()) {
            String aggregate = open.getValue().substring(0, open.getValue().indexOf('\u0000'));
            String severity = open.getValue().substring(open.getValue().indexOf('\u0000') + 1);
            if ((aggregate.equals(unit) || aggregate.startsWith(unit + "."))
                    && (severity.equals("HIGH") || severity.equals("CRITICAL"))) {
                serious++;
            }
        }
        return serious;
    }

    private void run() {
        try {
            boolean assigned = false;
            while (running) {
                if (!assigned) {
                    List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(5));
                    if (infos == null || infos.isEmpty()) {
                        Thread.sleep(1_000);
                        continue;
                    }
                    List<TopicPartition> partitions = new ArrayList<>();
                    infos.forEach(info -> partitions.add(new TopicPartition(topic, info.partition())));
                    consumer.assign(partitions);
                    consumer.seekToBeginning(partitions);
                    assigned = true;
                }
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    take(record);
                }
            }
        } catch (WakeupException | InterruptException e) {
            // Closing.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            consumer.close();
        }
    }

    private void take(ConsumerRecord<byte[], byte[]> record) {
        if (record.key() == null) {
            return;
        }
        String key = new String(record.key(), StandardCharsets.UTF_8);
        if (record.value() == null) {
            openByKey.remove(key);
            return;
        }
        try {
            JsonNode value = json.readTree(record.value());
            JsonNode drift = value.has("payload") && value.has("schema") ? value.path("payload") : value;
            openByKey.put(
                    key,
                    drift.path("aggregate").asText()
                            + '\u0000'
                            + drift.path("severity").asText());
        } catch (IOException e) {
            // Not a drift record of ours.
        }
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
