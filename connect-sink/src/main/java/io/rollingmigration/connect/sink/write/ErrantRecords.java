package io.rollingmigration.connect.sink.write;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.sink.ErrantRecordReporter;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.sink.SinkTaskContext;
import org.slf4j.Logger;

/** Hands a record that cannot be written to Connect's errant record reporter, with the reason. */
public final class ErrantRecords {

    private ErrantRecords() {}

    /**
     * Reports the record; without a reporter the task fails, the only way not to lose it.
     *
     * @param await wait until the record is in the dead letter queue: needed where the task's own offsets are about to
     *              move past it in the database
     */
    public static void report(SinkTaskContext context, SinkRecord record, Exception reason, boolean await, Logger log) {
        ErrantRecordReporter reporter = context.errantRecordReporter();
        if (reporter == null) {
            throw reason instanceof ConnectException connect ? connect : new DataException(reason.getMessage(), reason);
        }
        log.warn(
                "Sent {}-{}@{} to the dead letter queue: {}",
                record.originalTopic(),
                record.originalKafkaPartition(),
                record.originalKafkaOffset(),
                reason.getMessage());
        Future<Void> reported = reporter.report(record, reason);
        if (await) {
            try {
                reported.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ConnectException("Interrupted while reporting an errant record", e);
            } catch (ExecutionException e) {
                throw new ConnectException("Could not report an errant record: " + e.getCause(), e.getCause());
            }
        }
    }
}
