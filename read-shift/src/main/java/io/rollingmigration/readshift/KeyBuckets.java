package io.rollingmigration.readshift;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.utils.Utils;

/**
 * Places each key of a unit in one of 10,000 buckets by a stable hash (Kafka's murmur2, the same in every JVM and
 * release), so that a canary of p% is the keys in the buckets below p x 100: one customer's reads stay on the same
 * side across calls and facades, and a key the service answers at 10% is still answered by it at 50%.
 */
final class KeyBuckets {

    static final int BUCKETS = 10_000;

    private KeyBuckets() {}

    static int bucketOf(String unit, String key) {
        byte[] bytes = (unit + '\u0000' + key).getBytes(StandardCharsets.UTF_8);
        return Utils.toPositive(Utils.murmur2(bytes)) % BUCKETS;
    }

    /** True if a key in {@code bucket} is answered by the service under a canary of {@code percent}. */
    static boolean inCanary(int bucket, double percent) {
        return bucket < Math.round(percent * (BUCKETS / 100.0));
    }
}
