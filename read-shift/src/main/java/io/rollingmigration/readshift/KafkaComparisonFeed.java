package io.rollingmigration.readshift;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rollingmigration.connect.common.drift.FieldDifference;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The comparison feed on Kafka, in JSON: every shadowed read to the comparisons topic, keyed by unit, partition and
 * key; the routing counters to the routing topic, keyed by facade instance, unit, partition, consumer, mode and
 * answering store, each value the count since that instance started (so the topic can be compacted, and a figure
 * is the difference between two values of one key). The producer sends in the background; a feed that cannot
 * reach Kafka logs it and never fails a read.
 */
public final class KafkaComparisonFeed implements ComparisonFeed {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaComparisonFeed.class);
    private static final long WARN_EVERY_MILLIS = 60_000;

    private final ObjectMapper json = new ObjectMapper();
    private final Producer<String, String> producer;
    private final String comparisons;
    private final String routing;
    private final String instance;
    private final AtomicLong lastWarning = new AtomicLong();

    KafkaComparisonFeed(Producer<String, String> producer, String comparisons, String routing, String instance) {
        this.producer = producer;
        this.comparisons = comparisons;
        this.routing = routing;
        this.instance = instance;
    }

    /**
     * A feed to {@code comparisonsTopic} and {@code comparisonsTopic + ".routing"}.
     *
     * @param producerSettings at least {@code bootstrap.servers}; serializers are the feed's own
     */
    public static KafkaComparisonFeed to(Map<String, Object> producerSettings, String comparisonsTopic) {
        return to(producerSettings, comparisonsTopic, comparisonsTopic + ".routing");
    }

    public static KafkaComparisonFeed to(
            Map<String, Object> producerSettings, String comparisonsTopic, String routingTopic) {
        Map<String, Object> settings = new HashMap<>();
        settings.put(ProducerConfig.LINGER_MS_CONFIG, 20);
        settings.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        // Sends run on the comparison thread: a broker away must not hold it for the producer's default minute.
        settings.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 1_000);
        settings.putAll(producerSettings);
        settings.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        settings.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        return new KafkaComparisonFeed(
                new KafkaProducer<>(settings),
                comparisonsTopic,
                routingTopic,
                UUID.randomUUID().toString());
    }

    @Override
    public void comparison(ComparisonRecord record) {
        ObjectNode key = json.createObjectNode()
                .put("unit", record.unit())
                .put("partition", record.partition())
                .put("key", record.key());
        ObjectNode value = json.createObjectNode()
                .put("unit", record.unit())
                .put("partition", record.partition())
                .put("key", record.key())
                .put("consumer", record.consumer())
                .put("mode", record.mode().name())
                .put("answered_by", record.answeredBy().name())
                .put("outcome", record.verdict().outcome().name())
                .put("rule", record.rule())
                .put("legacy_latency_us", record.legacyLatencyMicros())
                .put("service_latency_us", record.serviceLatencyMicros())
                .put("at", record.atMillis())
                .put("instance", instance);
        ArrayNode keys = value.putArray("target_keys");
        record.verdict().targetKeys().forEach(keys::add);
        ArrayNode fields = value.putArray("fields");
        for (FieldDifference field : record.verdict().fields()) {
            fields.addObject()
                    .put("name", field.name())
                    .put("legacy", field.expected())
                    .put("service", field.actual());
        }
        ArrayNode kinds = value.putArray("kinds");
        record.verdict().kinds().forEach(kinds::add);
        value.put("message", record.verdict().message());
        send(comparisons, key.toString(), value.toString());
    }

    @Override
    public void routing(List<RoutingCounts.Count> counts, long atMillis) {
        for (RoutingCounts.Count count : counts) {
            RoutingCounts.Route route = count.route();
            ObjectNode key = json.createObjectNode()
                    .put("instance", instance)
                    .put("unit", route.unit())
                    .put("partition", route.partition())
                    .put("consumer", route.consumer())
                    .put("mode", route.mode().name())
                    .put("answered_by", route.answeredBy().name());
            ObjectNode value = key.deepCopy().put("reads", count.reads()).put("at", atMillis);
            send(routing, key.toString(), value.toString());
        }
    }

    private void send(String topic, String key, String value) {
        try {
            producer.send(new ProducerRecord<>(topic, key, value), (metadata, error) -> {
                if (error != null) {
                    warn(topic, error);
                }
            });
        } catch (RuntimeException e) {
            warn(topic, e);
        }
    }

    private void warn(String topic, Exception error) {
        long now = System.currentTimeMillis();
        long last = lastWarning.get();
        if (now - last >= WARN_EVERY_MILLIS && lastWarning.compareAndSet(last, now)) {
            LOG.warn(
                    "The read-shift feed cannot write to topic {} ({}); reads go on, comparisons are lost until it "
                            + "can",
                    topic,
                    error.getMessage());
        }
    }

    /** Sends what is buffered; for a test or a facade shutting down. */
    public void flush() {
        producer.flush();
    }

    @Override
    public void close() {
        producer.close();
    }
}
