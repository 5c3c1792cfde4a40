package io.rollingmigration.connect.sink.write;

import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.errors.RetriableException;
import org.apache.kafka.connect.sink.SinkTaskContext;
import org.slf4j.Logger;

/**
 * How a sink task rides out a database it cannot reach: the batch is handed back to Connect to be delivered again
 * after a back-off, up to a number of retries, then the task fails with the reason. The same for every sink of the
 * suite.
 */
public final class BatchRetries {

    /** Work against a database that may be down for now. */
    @FunctionalInterface
    public interface Attempt<T> {
        T run() throws TransientDatabaseException;
    }

    private final int maxRetries;
    private final long backoffMillis;
    private final Logger log;
    private int left;
    /** When the batch that failed may be tried again, epoch ms; 0 when nothing is being retried. */
    private long notBefore;

    public BatchRetries(int maxRetries, long backoffMillis, Logger log) {
        this.maxRetries = maxRetries;
        this.backoffMillis = backoffMillis;
        this.log = log;
        this.left = maxRetries;
    }

    /**
     * Waits out the rest of the back-off before a retried batch. Connect honours {@code context.timeout} only up to
     * the next offset commit, so a worker committing every second would otherwise burn every retry within seconds
     * of an outage instead of over {@code max.retries} times {@code retry.backoff.ms}.
     */
    public void awaitBackoff() {
        long wait = notBefore - System.currentTimeMillis();
        notBefore = 0;
        if (wait > 0) {
            try {
                Thread.sleep(wait);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new RetriableException("Interrupted while waiting to retry a batch", e);
            }
        }
    }

    /** A batch was written: the next outage gets every retry again. */
    public void succeeded() {
        left = maxRetries;
    }

    /**
     * Hands the batch back to Connect for another try, or fails the task when the retries are spent.
     *
     * @throws RetriableException while retries are left
     * @throws ConnectException   once they are spent
     */
    public RuntimeException retryOrFail(TransientDatabaseException e, int batchSize, SinkTaskContext context) {
        if (left-- > 0) {
            notBefore = System.currentTimeMillis() + backoffMillis;
            log.warn(
                    "{}; retrying the batch of {} records in {} ms ({} retries left)",
                    e.getMessage(),
                    batchSize,
                    backoffMillis,
                    left);
            context.timeout(backoffMillis);
            throw new RetriableException(e.getMessage(), e);
        }
        throw new ConnectException("Giving up after " + maxRetries + " retries: " + e.getMessage(), e);
    }

    /** Reads the offsets a task resumes from, retrying an unreachable database as a batch would be. */
    public Map<TopicPartition, Long> storedOffsets(Attempt<Map<TopicPartition, Long>> read) {
        for (int attempt = 0; ; attempt++) {
            try {
                return read.run();
            } catch (TransientDatabaseException e) {
                if (attempt >= maxRetries) {
                    throw new ConnectException(
                            "Cannot read the stored offsets after " + attempt + " retries: " + e.getMessage(), e);
                }
                log.warn("{}; retrying in {} ms", e.getMessage(), backoffMillis);
                try {
                    Thread.sleep(backoffMillis);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw new ConnectException("Interrupted while reading stored offsets", interrupted);
                }
            }
        }
    }
}
