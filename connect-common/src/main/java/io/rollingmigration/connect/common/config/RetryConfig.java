package io.rollingmigration.connect.common.config;

import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;

/**
 * How a plugin rides out a database it cannot reach ({@link RetryPolicy}): the same keys, with the same meaning, in
 * every plugin that talks to a database, named as Connect names its own retries where it has a name. Each plugin
 * picks its first wait, since a sink holds a batch while it waits and a reconciler only a run.
 */
public final class RetryConfig {

    public static final String MAX_RETRIES = "max.retries";
    public static final String RETRY_BACKOFF_MS = "retry.backoff.ms";
    /** Connect's own name (KIP-298), with the same meaning: how long a failing operation is retried. */
    public static final String TIMEOUT_MS = "errors.retry.timeout";
    /** Connect's own name: the longest wait between two tries. */
    public static final String MAX_DELAY_MS = "errors.retry.delay.max.ms";
    /**
     * Long enough for a managed database's failover or a minor-version upgrade (RDS Multi-AZ fails over in one to
     * two minutes, a patch restart of a managed PostgreSQL or MariaDB takes a few), short enough that a database
     * really gone fails the task the same hour.
     */
    public static final long DEFAULT_TIMEOUT_MS = 600_000;

    public static final long DEFAULT_MAX_DELAY_MS = 60_000;

    private RetryConfig() {}

    /**
     * Defines both keys in {@code group} from {@code order}.
     *
     * @param work what is retried, for the documentation ("a batch", "a run's step")
     */
    public static ConfigDef define(
            ConfigDef def, String group, int order, int defaultRetries, long defaultBackoffMillis, String work) {
        return define(def, group, order, defaultRetries, defaultBackoffMillis, DEFAULT_TIMEOUT_MS, work);
    }

    /**
     * Defines the keys in {@code group} from {@code order}, with a timeout of the plugin's choosing.
     *
     * @param work what is retried, for the documentation ("a batch", "a run's step")
     */
    public static ConfigDef define(
            ConfigDef def,
            String group,
            int order,
            int defaultRetries,
            long defaultBackoffMillis,
            long defaultTimeoutMillis,
            String work) {
        return def.define(
                        TIMEOUT_MS,
                        ConfigDef.Type.LONG,
                        defaultTimeoutMillis,
                        ConfigDef.Range.atLeast(-1),
                        ConfigDef.Importance.MEDIUM,
                        "How long " + work + " is retried after a transient database error (connection lost or "
                                + "refused, a timeout, the server shutting down), in milliseconds from the first "
                                + "failure, before the task fails; -1 retries forever. Connect's own name: set here "
                                + "it also applies to Connect's retries of converters and transforms, whose own "
                                + "default is 0.",
                        group,
                        order,
                        ConfigDef.Width.SHORT,
                        "Retry timeout (ms)")
                .define(
                        MAX_DELAY_MS,
                        ConfigDef.Type.LONG,
                        DEFAULT_MAX_DELAY_MS,
                        ConfigDef.Range.atLeast(0),
                        ConfigDef.Importance.LOW,
                        "The longest wait between two tries, in milliseconds: waits start at retry.backoff.ms and "
                                + "double, with a fifth of jitter either way, up to this.",
                        group,
                        order + 1,
                        ConfigDef.Width.SHORT,
                        "Max retry delay (ms)")
                .define(
                        MAX_RETRIES,
                        ConfigDef.Type.INT,
                        defaultRetries,
                        ConfigDef.Range.atLeast(-1),
                        ConfigDef.Importance.LOW,
                        "At most this many retries of " + work + " in one outage, on top of the time limit; -1: "
                                + "the time limit alone decides.",
                        group,
                        order + 2,
                        ConfigDef.Width.SHORT,
                        "Max retries")
                .define(
                        RETRY_BACKOFF_MS,
                        ConfigDef.Type.LONG,
                        defaultBackoffMillis,
                        ConfigDef.Range.atLeast(0),
                        ConfigDef.Importance.LOW,
                        "The first wait before retrying " + work + " after a transient database error, in "
                                + "milliseconds; each next wait doubles.",
                        group,
                        order + 3,
                        ConfigDef.Width.SHORT,
                        "Retry back-off (ms)");
    }

    public static int maxRetries(AbstractConfig config) {
        return config.getInt(MAX_RETRIES);
    }

    public static long retryBackoffMillis(AbstractConfig config) {
        return config.getLong(RETRY_BACKOFF_MS);
    }

    public static long timeoutMillis(AbstractConfig config) {
        return config.getLong(TIMEOUT_MS);
    }

    public static long maxDelayMillis(AbstractConfig config) {
        return config.getLong(MAX_DELAY_MS);
    }
}
