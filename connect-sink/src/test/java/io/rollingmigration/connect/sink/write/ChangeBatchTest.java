package io.rollingmigration.connect.sink.write;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.connect.data.Schema;
import org.junit.jupiter.api.Test;

class ChangeBatchTest {

    private static TargetChange change(long id, long version, boolean delete) {
        RowKey key = new RowKey(List.of("id"), List.of(BoundValue.of(Schema.INT64_SCHEMA, id, "id")));
        Map<String, BoundValue> columns = delete ? null : Map.of("id", BoundValue.of(Schema.INT64_SCHEMA, id, "id"));
        return new TargetChange(null, key, columns, version, Map.of());
    }

    @Test
    void highestVersionPerRowWinsWhateverTheArrivalOrder() {
        ChangeBatch batch = new ChangeBatch();
        batch.add(change(1, 30, true));
        batch.add(change(1, 40, false));
        batch.add(change(1, 20, false));
        batch.add(change(2, 5, false));

        assertEquals(4, batch.received());
        assertEquals(2, batch.changes().size());
        assertEquals(
                List.of(40L, 5L),
                batch.changes().stream().map(TargetChange::version).collect(Collectors.toList()));
        assertTrue(batch.deletes().isEmpty());
    }

    @Test
    void amongEqualVersionsTheLaterDeliveryWins() {
        ChangeBatch batch = new ChangeBatch();
        batch.add(change(1, 7, false));
        batch.add(change(1, 7, true));

        assertEquals(1, batch.deletes().size());
    }
}
