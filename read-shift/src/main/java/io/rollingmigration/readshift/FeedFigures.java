package io.rollingmigration.readshift;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the lane's feed (both topics, every partition, without a consumer group) from a little before the window
 * began, on a thread of its own, into {@link ReadShiftFigures}: what the reconciler's metrics and the status page
 * show. A topic that does not exist yet is looked for again until it does.
 */
public final class FeedFigures implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(FeedFigures.class);
    /** Read from this long before the window, so each routing counter's count at the window's start is known. */
    private static final Duration LEAD = Duration.ofMinutes(1);

    private final ObjectMapper json = new ObjectMapper();
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final String comparisonsTopic;
    private final String routingTopic;
    private final ReadShiftFigures figures;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile long lastRecordAt;

    private FeedFigures(
            Map<String, Object> consumerSettings, String comparisonsTopic, String routingTopic, Duration window) {
        Map<String, Object> settings = new HashMap<>(consumerSettings);
        settings.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        settings.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        settings.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        settings.remove(ConsumerConfig.GROUP_ID_CONFIG);
        this.consumer = new KafkaConsumer<>(settings);
        this.comparisonsTopic = comparisonsTopic;
        this.routingTopic = routingTopic;
        this.figures = new ReadShiftFigures(window);
        this.thread = new Thread(this::run, "read-shift-figures");
        this.thread.setDaemon(true);
    }

    /**
     * Starts reading {@code comparisonsTopic} and its routing topic ({@code <comparisons>.routing} unless given).
     *
     * @param consumerSettings at least {@code bootstrap.servers}
     */
    public static FeedFigures start(
            Map<String, Object> consumerSettings, String comparisonsTopic, String routingTopic, Duration window) {
        FeedFigures feed = new FeedFigures(
                consumerSettings,
                comparisonsTopic,
                routingTopic == null || routingTopic.isBlank() ? comparisonsTopic + ".routing" : routingTopic,
                window);
        feed.thread.start();
        return feed;
    }

    /** The figures over the window ending now. */
    public ReadShiftFigures.Snapshot snapshot() {
        synchronized (figures) {
            return figures.snapshot(System.currentTimeMillis());
        }
    }

    /** When the last record was read (epoch ms), 0 before the first. */
    public long lastRecordAt() {
        return lastRecordAt;
    }

    private void run() {
        try {
            List<TopicPartition> assigned = List.of();
            while (running) {
                if (assigned.isEmpty()) {
                    assigned = assign();
                    if (assigned.isEmpty()) {
                        Thread.sleep(1_000);
                        continue;
                    }
                }
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    take(record);
                }
            }
        } catch (WakeupException | InterruptException e) {
            // Closing.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.error("The read-shift figures stopped reading the feed: {}", e.getMessage(), e);
        } finally {
            consumer.close();
        }
    }

    private List<TopicPartition> assign() {
        List<TopicPartition> partitions = new ArrayList<>();
        for (String topic : List.of(comparisonsTopic, routingTopic)) {
            List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(5));
            if (infos == null || infos.isEmpty()) {
                return List.of();
            }
            infos.forEach(info -> partitions.add(new TopicPartition(topic, info.partition())));
        }
        consumer.assign(partitions);
        long from = System.currentTimeMillis() - figures.window().plus(LEAD).toMillis();
        Map<TopicPartition, Long> times = new HashMap<>();
        partitions.forEach(partition -> times.put(partition, from));
        Map<TopicPartition, OffsetAndTimestamp> offsets = consumer.offsetsForTimes(times, Duration.ofSeconds(10));
        for (TopicPartition partition : partitions) {
            OffsetAndTimestamp offset = offsets.get(partition);
            if (offset == null) {
                consumer.seekToEnd(List.of(partition));
            } else {
                consumer.seek(partition, offset.offset());
            }
        }
        return partitions;
    }

    private void take(ConsumerRecord<byte[], byte[]> record) {
        if (record.value() == null) {
            return;
        }
        JsonNode value;
        try {
            value = json.readTree(record.value());
        } catch (IOException e) {
            return;
        }
        synchronized (figures) {
            if (record.topic().equals(comparisonsTopic)) {
                figures.comparison(value);
            } else {
                figures.routing(value);
            }
        }
        lastRecordAt = System.currentTimeMillis();
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
