package io.rollingmigration.connect.common.config;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;

/**
 * How long a plugin keeps trying a database it cannot reach: by time, not by count. The first retry waits
 * {@code retry.backoff.ms}, each next one twice as long, with a fifth of jitter either way (tasks that lost the same
 * database do not come back in step), up to {@code errors.retry.delay.max.ms}; the plugin gives up once
 * {@code errors.retry.timeout} has passed since the first failure (and, if {@code max.retries} is set, after that
 * many retries). One instance follows one outage at a time: a success ends it.
 */
public final class RetryPolicy {

    /** The policy's settings; {@code -1} for a timeout or a count means no limit. */
    public record Settings(long timeoutMillis, long initialDelayMillis, long maxDelayMillis, int maxRetries) {

        public static Settings from(org.apache.kafka.common.config.AbstractConfig config) {
            return new Settings(
                    RetryConfig.timeoutMillis(config),
                    RetryConfig.retryBackoffMillis(config),
                    RetryConfig.maxDelayMillis(config),
                    RetryConfig.maxRetries(config));
        }
    }

    private final Settings settings;
    private final DoubleSupplier random;
    private boolean unavailable;
    private long unavailableSince;
    private int retries;
    private long nextTryAt;

    public RetryPolicy(Settings settings) {
        this(settings, () -> ThreadLocalRandom.current().nextDouble());
    }

    /** @param random a uniform number in [0, 1) per retry, for the jitter */
    public RetryPolicy(Settings settings, DoubleSupplier random) {
        this.settings = settings;
        this.random = random;
    }

    /**
     * Records a failure at {@code nowMillis} and returns how long to wait before the next try, or {@code -1} when
     * the policy is spent and the plugin must give up.
     */
    public long failed(long nowMillis) {
        if (!unavailable) {
            unavailable = true;
            unavailableSince = nowMillis;
        }
        long elapsed = nowMillis - unavailableSince;
        if ((settings.timeoutMillis() >= 0 && elapsed >= settings.timeoutMillis())
                || (settings.maxRetries() >= 0 && retries >= settings.maxRetries())) {
            return -1;
        }
        retries++;
        double base = settings.initialDelayMillis() * Math.pow(2, Math.min(retries - 1, 30));
        double jittered = base * (0.8 + 0.4 * random.getAsDouble());
        long delay = (long) Math.min(jittered, Math.max(settings.maxDelayMillis(), settings.initialDelayMillis()));
        if (settings.timeoutMillis() >= 0) {
            // The last try falls at the deadline, not a whole delay after it.
            delay = Math.min(delay, Math.max(0, settings.timeoutMillis() - elapsed));
        }
        nextTryAt = nowMillis + delay;
        return delay;
    }

    /**
     * A try succeeded: the outage, if there was one, is over.
     *
     * @return how long the database was unavailable, or {@code null} if it was not
     */
    public Duration succeeded(long nowMillis) {
        if (!unavailable) {
            return null;
        }
        Duration outage = Duration.ofMillis(nowMillis - unavailableSince);
        unavailable = false;
        unavailableSince = 0;
        retries = 0;
        nextTryAt = 0;
        return outage;
    }

    /** When the current outage began (epoch ms), or 0 while the database answers. */
    public long unavailableSince() {
        return unavailableSince;
    }

    /** The retries made in the current outage. */
    public int retries() {
        return retries;
    }

    /** When the next try is due (epoch ms), or 0 while the database answers. */
    public long nextTryAt() {
        return nextTryAt;
    }

    /** For a WARN after a failure: "unavailable for 94 s, retry 5 in 48211 ms (retrying for 10m)". */
    public String waiting(long nowMillis, long delayMillis) {
        return "unavailable for " + (nowMillis - unavailableSince) / 1000 + " s, retry " + retries + " in "
                + delayMillis + " ms (retrying " + limit() + ")";
    }

    /** For the failure once the policy is spent: "after 9 retries over 600 s (retrying for 10m)". */
    public String spent(long nowMillis) {
        return "after " + retries + " retries over " + (nowMillis - unavailableSince) / 1000 + " s (retrying " + limit()
                + ")";
    }

    /** What the policy allows, for messages: "for 10m", "without a time limit, at most 5 retries". */
    public String limit() {
        String time = settings.timeoutMillis() < 0
                ? "without a time limit"
                : "for "
                        + Duration.ofMillis(settings.timeoutMillis())
                                .toString()
                                .substring(2)
                                .toLowerCase();
        return settings.maxRetries() < 0 ? time : time + ", at most " + settings.maxRetries() + " retries";
    }
}
