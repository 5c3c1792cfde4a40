package io.rollingmigration.testsupport;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/** Record counts of a topic, and of what a sink connector's consumer group has committed, over all partitions. */
public final class TopicOffsets {

    private TopicOffsets() {}

    public static long end(Admin admin, String topic) throws Exception {
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        admin.describeTopics(List.of(topic))
                .allTopicNames()
                .get()
                .get(topic)
                .partitions()
                .forEach(p -> latest.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest()));
        return admin.listOffsets(latest).all().get().values().stream()
                .mapToLong(o -> o.offset())
                .sum();
    }

    /** Offsets committed by Connect's consumer group for sink connector {@code connector}. */
    public static long committedBySink(Admin admin, String connector) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets("connect-" + connector)
                .partitionsToOffsetAndMetadata()
                .get();
        return offsets.values().stream()
                .mapToLong(o -> o == null ? 0 : o.offset())
                .sum();
    }
}
