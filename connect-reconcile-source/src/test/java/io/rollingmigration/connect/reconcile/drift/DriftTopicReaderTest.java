package io.rollingmigration.connect.reconcile.drift;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.rollingmigration.connect.common.drift.DriftKind;
import io.rollingmigration.connect.common.drift.Severity;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

/** Rebuilding the open drift of an aggregate from the drift topic's records, whatever converters wrote them. */
class DriftTopicReaderTest {

    private static ConsumerRecord<byte[], byte[]> record(Map<String, String> headers, byte[] value, boolean json) {
        RecordHeaders recordHeaders = new RecordHeaders();
        headers.forEach((name, text) -> recordHeaders.add(
                name, (json ? "\"" + text.replace("\"", "\\\"") + "\"" : text).getBytes(StandardCharsets.UTF_8)));
        return new ConsumerRecord<>(
                "drift",
                0,
                0L,
                0L,
                TimestampType.CREATE_TIME,
                0,
                0,
                new byte[] {1},
                value,
                recordHeaders,
                Optional.empty());
    }

    private static Map<String, String> drift(String aggregate, String targetKey) {
        return Map.of(
                DriftRecords.HEADER_AGGREGATE,
                aggregate,
                DriftRecords.HEADER_TARGET_KEY,
                targetKey,
                DriftRecords.HEADER_LEGACY_KEY,
                "{\"id\":7}",
                DriftRecords.HEADER_KIND,
                "FIELD_MISMATCH",
                DriftRecords.HEADER_SEVERITY,
                "HIGH",
                DriftRecords.HEADER_RANGE,
                "0/2",
                DriftRecords.HEADER_FIRST_DETECTED,
                "1700000000000",
                DriftRecords.HEADER_RECHECKS,
                "3");
    }

    @Test
    void theLatestRecordPerKeyDecidesAndTombstonesCloseDrift() {
        OpenDriftSet open = new OpenDriftSet();
        DriftTopicReader.apply(open, record(drift("policy", "a"), new byte[] {1}, false), "policy");
        DriftTopicReader.apply(open, record(drift("policy", "b"), new byte[] {1}, false), "policy");
        DriftTopicReader.apply(
                open,
                record(
                        Map.of(DriftRecords.HEADER_AGGREGATE, "policy", DriftRecords.HEADER_TARGET_KEY, "a"),
                        null,
                        false),
                "policy");

        assertNull(open.get("a"), "a tombstone closed it");
        OpenDrift b = open.get("b");
        assertEquals(
                new OpenDrift("b", "{\"id\":7}", DriftKind.FIELD_MISMATCH, Severity.HIGH, "0/2", 1_700_000_000_000L, 3),
                b);
    }

    @Test
    void otherAggregatesSharingTheTopicAreIgnored() {
        OpenDriftSet open = new OpenDriftSet();
        DriftTopicReader.apply(open, record(drift("party", "a"), new byte[] {1}, false), "policy");
        assertEquals(0, open.size());
    }

    @Test
    void headersWrittenByAJsonHeaderConverterReadTheSame() {
        OpenDriftSet open = new OpenDriftSet();
        DriftTopicReader.apply(open, record(drift("policy", "a"), new byte[] {1}, true), "policy");
        assertEquals("{\"id\":7}", open.get("a").legacyKey());
        assertEquals(3, open.get("a").rechecks());
    }
}
