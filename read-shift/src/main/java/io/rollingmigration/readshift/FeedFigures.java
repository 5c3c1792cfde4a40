package io.rollingmigration.readshift;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.TopicPartition;

/**
 * Reads the lane's feed (both topics, every partition, without a consumer group) from a little before the window
 * began, on a thread of its own, into {@link ReadShiftFigures}: what the reconciler's metrics and status records
 * show. A topic that does not exist yet is looked for again until it does.
 */
public final class FeedFigures implements AutoCloseable {

    /** Read from this long before the window, so each routing counter's count at the window's start is known. */
    private static final Duration LEAD = Duration.ofMinutes(1);

    private final ObjectMapper json = new ObjectMapper();
    private final String comparisonsTopic;
    private final ReadShiftFigures figures;
    private final TopicFollower follower;
    private volatile long lastRecordAt;

    private FeedFigures(
            Map<String, Object> consumerSettings, String comparisonsTopic, String routingTopic, Duration window) {
        this.comparisonsTopic = comparisonsTopic;
        this.figures = new ReadShiftFigures(window);
        this.follower = new TopicFollower(
                "read-shift-figures",
                consumerSettings,
                List.of(comparisonsTopic, routingTopic),
                this::seekBeforeTheWindow,
                this::take);
    }

    /**
     * Starts reading {@code comparisonsTopic} and its routing topic ({@code <comparisons>.routing} unless given).
     *
     * @param consumerSettings at least {@code bootstrap.servers}
     */
    public static FeedFigures start(
            Map<String, Object> consumerSettings, String comparisonsTopic, String routingTopic, Duration window) {
        return new FeedFigures(
                consumerSettings,
                comparisonsTopic,
                routingTopic == null || routingTopic.isBlank() ? comparisonsTopic + ".routing" : routingTopic,
                window);
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

    private void seekBeforeTheWindow(KafkaConsumer<byte[], byte[]> consumer, List<TopicPartition> partitions) {
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
        follower.close();
    }
}
