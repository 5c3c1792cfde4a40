package io.rollingmigration.connect.sink.status;

import java.util.Arrays;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The replication lags of the changes written in one status interval, kept as a uniform sample of fixed size
 * (reservoir sampling), so that p50 and p99 cost the same at 10 or 10,000 changes a second; the maximum is exact.
 */
final class LagWindow {

    private final long[] sample;
    private long seen;
    private long max;

    LagWindow(int capacity) {
        sample = new long[capacity];
    }

    void record(long lagMillis) {
        long lag = Math.max(0, lagMillis);
        max = Math.max(max, lag);
        if (seen < sample.length) {
            sample[(int) seen] = lag;
        } else {
            long slot = ThreadLocalRandom.current().nextLong(seen + 1);
            if (slot < sample.length) {
                sample[(int) slot] = lag;
            }
        }
        seen++;
    }

    long count() {
        return seen;
    }

    long max() {
        return max;
    }

    /** The lags sorted, for percentiles. */
    long[] sorted() {
        long[] kept = Arrays.copyOf(sample, (int) Math.min(seen, sample.length));
        Arrays.sort(kept);
        return kept;
    }

    static long percentile(long[] sorted, double quantile) {
        if (sorted.length == 0) {
            return 0;
        }
        int index = (int) Math.ceil(quantile * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }

    void reset() {
        seen = 0;
        max = 0;
    }
}
