package io.rollingmigration.connect.reconcile.digest;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/** Per bucket, the number of rows and the sums of two parts of their hashes, as one side computed them. */
public final class BucketDigests {

    private final long[] rows;
    private final long[] high;
    private final long[] low;

    BucketDigests(int buckets) {
        rows = new long[buckets];
        high = new long[buckets];
        low = new long[buckets];
    }

    public static BucketDigests read(PreparedStatement statement, int buckets) throws SQLException {
        BucketDigests digests = new BucketDigests(buckets);
        try (ResultSet rs = statement.executeQuery()) {
            while (rs.next()) {
                int bucket = rs.getInt(1);
                digests.rows[bucket] = rs.getLong(2);
                digests.high[bucket] = rs.getLong(3);
                digests.low[bucket] = rs.getLong(4);
            }
        }
        return digests;
    }

    boolean same(BucketDigests other, int bucket) {
        return rows[bucket] == other.rows[bucket]
                && high[bucket] == other.high[bucket]
                && low[bucket] == other.low[bucket];
    }

    long rows(int bucket) {
        return rows[bucket];
    }

    int size() {
        return rows.length;
    }
}
