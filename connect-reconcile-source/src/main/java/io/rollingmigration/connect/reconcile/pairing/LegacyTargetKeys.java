package io.rollingmigration.connect.reconcile.pairing;

import io.rollingmigration.connect.common.compare.Expectation;
import io.rollingmigration.connect.common.compare.LegacyRow;
import io.rollingmigration.connect.reconcile.store.LegacyTable;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.List;

/**
 * The target keys of every row of a legacy table, as 64-bit fingerprints in a sorted array (8 bytes a row): what
 * tells whether a target row has a legacy row when its key cannot be turned back into a legacy key (a UUIDv5).
 * Built by one scan of the columns the key is made from. Two keys sharing a fingerprint (about one chance in
 * 10^7 for ten million rows) would hide one stray fragment from a run.
 */
final class LegacyTargetKeys {

    private static final int SCAN_CHUNK = 10_000;

    private final long[] sorted;

    private LegacyTargetKeys(long[] sorted) {
        this.sorted = sorted;
    }

    static LegacyTargetKeys scan(LegacyTable legacy, List<String> keyColumns, Expectation expectation)
            throws SQLException {
        long[] prints = new long[1024];
        int size = 0;
        String after = null;
        while (true) {
            List<LegacyRow> rows = legacy.columnsChunk(keyColumns, after, SCAN_CHUNK);
            for (LegacyRow row : rows) {
                String targetKey;
                try {
                    targetKey = expectation.targetKey(row.values());
                } catch (RuntimeException e) {
                    continue; // a row without a target key is reported by the legacy phase
                }
                if (size == prints.length) {
                    prints = Arrays.copyOf(prints, size * 2);
                }
                prints[size++] = fingerprint(targetKey);
            }
            if (rows.size() < SCAN_CHUNK) {
                break;
            }
            after = rows.get(rows.size() - 1).sourceKey();
        }
        long[] sorted = Arrays.copyOf(prints, size);
        Arrays.sort(sorted);
        return new LegacyTargetKeys(sorted);
    }

    boolean contains(String targetKey) {
        return Arrays.binarySearch(sorted, fingerprint(targetKey)) >= 0;
    }

    /** FNV-1a, 64 bits, over the key's UTF-8 bytes. */
    private static long fingerprint(String key) {
        long hash = 0xcbf29ce484222325L;
        for (byte b : key.getBytes(StandardCharsets.UTF_8)) {
            hash ^= b & 0xff;
            hash *= 0x100000001b3L;
        }
        return hash;
    }
}
