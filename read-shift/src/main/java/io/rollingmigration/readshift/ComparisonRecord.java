package io.rollingmigration.readshift;

import io.rollingmigration.connect.common.ownership.Owner;

/**
 * One shadowed read as the comparison feed carries it.
 *
 * @param unit                the migration unit
 * @param partition           the partition value routed by
 * @param key                 the key read
 * @param consumer            the calling consumer
 * @param mode                the read mode in force
 * @param answeredBy          the store whose answer the caller got
 * @param verdict             what the comparison showed
 * @param legacyLatencyMicros how long the legacy read took, or -1 when it did not finish
 * @param serviceLatencyMicros how long the service read took, or -1 when it did not finish
 * @param atMillis            when the request started
 * @param rule                the spec rule compared by ({@code name@version})
 */
public record ComparisonRecord(
        String unit,
        String partition,
        String key,
        String consumer,
        ReadMode mode,
        Owner answeredBy,
        ReadVerdict verdict,
        long legacyLatencyMicros,
        long serviceLatencyMicros,
        long atMillis,
        String rule) {}
