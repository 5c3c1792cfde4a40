package io.rollingmigration.connect.common.config;

import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;

/**
 * How a plugin rides out a database it cannot reach: the same two keys, with the same meaning, in every plugin that
 * talks to a database. Each plugin picks its defaults, since a sink holds a batch while it waits and a reconciler
 * only a run.
 */
public final class RetryConfig {

    public static final String MAX_RETRIES = "max.retries";
    public static final String RETRY_BACKOFF_MS = "retry.backoff.ms";

    private RetryConfig() {}

    /**
     * Defines both keys in {@code group} from {@code order}.
     *
     * @param work what is retried, for the documentation ("a batch", "a run's step")
     */
    public static ConfigDef define(
            ConfigDef def, String group, int order, int defaultRetries, long defaultBackoffMillis, String work) {
        return def.define(
                        MAX_RETRIES,
                        ConfigDef.Type.INT,
                        defaultRetries,
                        ConfigDef.Range.atLeast(0),
                        ConfigDef.Importance.MEDIUM,
                        "How many times " + work + " is retried after a transient database error (connection "
                                + "lost, serialisation failure, server shutting down) before the task fails.",
                        group,
                        order,
                        ConfigDef.Width.SHORT,
                        "Max retries")
                .define(
                        RETRY_BACKOFF_MS,
                        ConfigDef.Type.LONG,
                        defaultBackoffMillis,
                        ConfigDef.Range.atLeast(0),
                        ConfigDef.Importance.LOW,
                        "Wait between retries of " + work + " after a transient database error, in milliseconds.",
                        group,
                        order + 1,
                        ConfigDef.Width.SHORT,
                        "Retry back-off (ms)");
    }

    public static int maxRetries(AbstractConfig config) {
        return config.getInt(MAX_RETRIES);
    }

    public static long retryBackoffMillis(AbstractConfig config) {
        return config.getLong(RETRY_BACKOFF_MS);
    }
}
