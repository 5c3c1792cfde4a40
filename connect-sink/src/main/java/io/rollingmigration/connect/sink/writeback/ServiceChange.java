package io.rollingmigration.connect.sink.writeback;

import io.rollingmigration.connect.common.change.ChangeEvent;
import io.rollingmigration.connect.common.lane.LaneTransactions;
import io.rollingmigration.connect.common.lineage.Lineage;
import io.rollingmigration.connect.common.lineage.Operation;
import io.rollingmigration.connect.common.normalize.ValueNormalizer;
import java.util.Map;
import java.util.OptionalLong;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.sink.SinkRecord;

/**
 * One change of the service's store, as Debezium's PostgreSQL connector on the service's table reports it: the
 * row before and after (the aggregate's fields and the lineage columns the forward sink keeps), the operation, and
 * the transaction that made it.
 */
record ServiceChange(
        SinkRecord record,
        String op,
        Map<String, Object> after,
        Map<String, Object> before,
        OptionalLong transactionId,
        long committedAtMillis) {

    private static final String SOURCE_KEY = Lineage.Field.SOURCE_KEY.column();

    static ServiceChange read(SinkRecord record) {
        if (record.value() == null) {
            // The tombstone Debezium sends after a delete: the delete itself already carried the change.
            return null;
        }
        if (!ChangeEvent.isEnvelope(record.valueSchema())) {
            throw new DataException("Not a Debezium change event of the service's table (value schema "
                    + (record.valueSchema() == null
                            ? "none"
                            : record.valueSchema().name())
                    + "): the write-back reads the service's changes as Debezium captures them");
        }
        ChangeEvent event = ChangeEvent.read(record.valueSchema(), record.value());
        Operation operation = event.operation();
        String op = switch (operation) {
            case CREATE -> "c";
            case UPDATE -> "u";
            case DELETE -> "d";
            case READ -> "r";
            default ->
                throw new DataException("The write-back cannot apply a " + operation + " of the "
                        + "service's table; only inserts, updates, deletes and snapshot reads");
        };
        return new ServiceChange(
                record,
                op,
                ValueNormalizer.row(event.after()),
                ValueNormalizer.row(event.before()),
                event.source().transactionId(),
                event.source().commitTimeMillis().orElse(record.timestamp() == null ? 0L : record.timestamp()));
    }

    boolean delete() {
        return "d".equals(op);
    }

    /** The row that identifies the aggregate: after, or before for a delete. */
    Map<String, Object> row() {
        return delete() ? before : after;
    }

    /** The legacy key the forward lane stamped on the row, if the row came from legacy. */
    String lineageSourceKey() {
        Object key = row().get(SOURCE_KEY);
        if (key == null && !delete()) {
            key = before.get(SOURCE_KEY);
        }
        return key == null ? null : key.toString();
    }

    LaneTransactions.Candidate candidate() {
        return new LaneTransactions.Candidate(transactionId.orElse(-1L), committedAtMillis);
    }
}
