package io.rollingmigration.connect.sink.write;

import io.rollingmigration.connect.common.config.RetryPolicy;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.errors.RetriableException;
import org.apache.kafka.connect.sink.SinkTaskContext;
import org.slf4j.Logger;

/**
 * How a sink task rides out a database it cannot reach: the batch is handed back to Connect to be delivered again
 * after a growing back-off, for as long as the {@link RetryPolicy} allows, then the task fails with the reason. One
 * WARN per try names the cause and how long the database has been away; one INFO says when it is back. The same
 * for every sink of the suite.
 */
public final class BatchRetries {

    /** Work against a database that may be down for now. */
    @FunctionalInterface
    public interface Attempt<T> {
        T run() throws TransientDatabaseException;
    }

    private final RetryPolicy policy;
    private final Logger log;
    /** When the batch that failed may be tried again, epoch ms; 0 when nothing is being retried. */
    private long notBefore;

    public BatchRetries(RetryPolicy.Settings settings, Logger log) {
        this.policy = new RetryPolicy(settings);
        this.log = log;
    }

    /**
     * Waits out the rest of the back-off before a retried batch. Connect honours {@code context.timeout} only up to
     * the next offset commit, so a worker committing every second would otherwise spend the policy's tries within
     * seconds of an outage.
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

    /** A batch was written: an outage, if there was one, is over. */
    public void succeeded() {
        Duration outage = policy.succeeded(System.currentTimeMillis());
        if (outage != null) {
            log.info("The database answers again after {} s unavailable; writing goes on", outage.toSeconds());
        }
    }

    /**
     * Hands the batch back to Connect for another try, or fails the task when the policy is spent.
     *
     * @throws RetriableException while the policy allows another try
     * @throws ConnectException   once it is spent
     */
    public RuntimeException retryOrFail(TransientDatabaseException e, int batchSize, SinkTaskContext context) {
        long now = System.currentTimeMillis();
        long delay = policy.failed(now);
        if (delay < 0) {
            throw new ConnectException(
                    "Giving up " + policy.spent(now) + " (errors.retry.timeout, max.retries): " + e.getMessage()
                            + "; the task will not recover until it is restarted",
                    e);
        }
        notBefore = now + delay;
        log.warn("{}; the batch of {} records: {}", e.getMessage(), batchSize, policy.waiting(now, delay));
        context.timeout(delay);
        throw new RetriableException(e.getMessage(), e);
    }

    /** Reads the offsets a task resumes from, retrying an unreachable database as a batch would be. */
    public Map<TopicPartition, Long> storedOffsets(Attempt<Map<TopicPartition, Long>> read) {
        while (true) {
            try {
                Map<TopicPartition, Long> offsets = read.run();
                succeeded();
                return offsets;
            } catch (TransientDatabaseException e) {
                long now = System.currentTimeMillis();
                long delay = policy.failed(now);
                if (delay < 0) {
                    throw new ConnectException(
                            "Cannot read the stored offsets, giving up " + policy.spent(now) + ": " + e.getMessage(),
                            e);
                }
                log.warn("{}; the stored offsets: {}", e.getMessage(), policy.waiting(now, delay));
                try {
                    Thread.sleep(delay);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw new ConnectException("Interrupted while reading stored offsets", interrupted);
                }
            }
        }
    }

    /** The policy and the state of the current outage, for metrics. */
    public RetryPolicy policy() {
        return policy;
    }
}
