package io.rollingmigration.readshift;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * The reconciler's open drift as its compacted drift topic holds it (the latest record per key; a tombstone closes
 * one), read from the beginning and then followed, on a thread of its own. Records in JSON with or without the
 * schema envelope. A unit's drift is that of its aggregate and of the aggregate's fragments
 * ({@code <aggregate>.<table>}); the reverse direction's ({@code <aggregate>.reverse}) too.
 */
public final class DriftTopicView implements OpenDrift, AutoCloseable {

    private final ObjectMapper json = new ObjectMapper();
    private final Map<String, String> openByKey = new ConcurrentHashMap<>();
    private final TopicFollower follower;

    private DriftTopicView(Map<String, Object> consumerSettings, String topic) {
        this.follower = new TopicFollower(
                "read-shift-drift",
                consumerSettings,
                List.of(topic),
                (consumer, partitions) -> consumer.seekToBeginning(partitions),
                this::take);
    }

    /** Follows the drift topic; {@code consumerSettings} at least {@code bootstrap.servers}. */
    public static DriftTopicView follow(Map<String, Object> consumerSettings, String topic) {
        return new DriftTopicView(consumerSettings, topic);
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
        follower.close();
    }
}
