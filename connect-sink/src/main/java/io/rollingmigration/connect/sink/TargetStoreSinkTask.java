package io.rollingmigration.connect.sink;

import io.rollingmigration.connect.common.PluginVersion;
import io.rollingmigration.connect.sink.write.ChangeBatch;
import io.rollingmigration.connect.sink.write.ChangeReader;
import io.rollingmigration.connect.sink.write.DeleteMode;
import io.rollingmigration.connect.sink.write.TargetChange;
import io.rollingmigration.connect.sink.write.TransientDatabaseException;
import io.rollingmigration.connect.sink.write.VersionGuardedWriter;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.errors.RetriableException;
import org.apache.kafka.connect.sink.ErrantRecordReporter;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.sink.SinkTask;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Collection;
import java.util.Map;

/**
 * The sink's loop: read each record as a change, keep the newest change per row, write the batch in one
 * transaction. Writes finish inside {@link #put}, so the offsets Connect commits afterwards are always of records
 * already durable in the target; a record that cannot be written goes to the errant record reporter with its reason.
 */
public class TargetStoreSinkTask extends SinkTask {

    private static final Logger log = LoggerFactory.getLogger(TargetStoreSinkTask.class);

    private TargetStoreSinkConfig config;
    private VersionGuardedWriter writer;
    private ChangeReader reader;
    private int retriesLeft;
    private long nextPurgeAt;

    @Override
    public String version() {
        return PluginVersion.get();
    }

    @Override
    public void start(Map<String, String> props) {
        config = new TargetStoreSinkConfig(props);
        writer = new VersionGuardedWriter(config.connection(), config.table(), config.deleteMode());
        retriesLeft = config.maxRetries();
        try {
            reader = newReader();
            log.info("Writing to {} in {}", config.table(), config.connection());
        } catch (TransientDatabaseException e) {
            // The first put() retries the connection; a sink that cannot start during an outage is no better.
            log.warn("Target database not reachable at start; will retry on first write: {}", e.getMessage());
        }
    }

    @Override
    public void put(Collection<SinkRecord> records) {
        if (records.isEmpty()) {
            return;
        }
        try {
            if (reader == null) {
                reader = newReader();
            }
            ChangeBatch batch = new ChangeBatch();
            for (SinkRecord record : records) {
                try {
                    batch.add(reader.read(record));
                } catch (DataException e) {
                    reject(record, e);
                }
            }
            writer.write(batch, (TargetChange change, Exception reason) -> reject(change.record(), reason));
            purgeDeleteMarkersIfDue();
            retriesLeft = config.maxRetries();
        } catch (TransientDatabaseException e) {
            if (retriesLeft-- > 0) {
                log.warn("{}; retrying the batch of {} records in {} ms ({} retries left)", e.getMessage(),
                        records.size(), config.retryBackoffMillis(), retriesLeft);
                context.timeout(config.retryBackoffMillis());
                throw new RetriableException(e.getMessage(), e);
            }
            throw new ConnectException("Giving up after " + config.maxRetries() + " retries: " + e.getMessage(), e);
        }
    }

    private ChangeReader newReader() throws TransientDatabaseException {
        return new ChangeReader(writer.table(), config.versionHeader(), config.versionField().orElse(null));
    }

    /** Soft-delete markers older than the retention go, at most once per retention period or hour. */
    private void purgeDeleteMarkersIfDue() throws TransientDatabaseException {
        long retention = config.deleteRetentionMillis();
        if (config.deleteMode() != DeleteMode.SOFT || retention == 0) {
            return;
        }
        long now = System.currentTimeMillis();
        if (now >= nextPurgeAt) {
            int purged = writer.purgeDeleted(now - retention);
            nextPurgeAt = now + Math.min(retention, 3_600_000L);
            if (purged > 0) {
                log.info("Purged {} delete markers older than {} ms from {}", purged, retention, config.table());
            }
        }
    }

    private void reject(SinkRecord record, Exception reason) {
        ErrantRecordReporter reporter = context.errantRecordReporter();
        if (reporter == null) {
            // Without a reporter the only way not to lose the record is to stop here.
            throw reason instanceof ConnectException ? (ConnectException) reason
                    : new DataException(reason.getMessage(), reason);
        }
        log.warn("Reporting {} as errant: {}", record.kafkaOffset(), reason.getMessage());
        reporter.report(record, reason);
    }

    @Override
    public void stop() {
        if (writer != null) {
            writer.close();
        }
    }
}
