package io.rollingmigration.connect.common.ownership;

import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;
import com.github.benmanes.caffeine.cache.stats.CacheStats;
import io.rollingmigration.connect.common.dialect.BookkeepingTable;
import io.rollingmigration.connect.common.dialect.SqlDialect;
import io.rollingmigration.connect.common.dialect.TableId;
import io.rollingmigration.connect.common.dialect.Where;
import java.sql.Connection;
import java.sql.JDBCType;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.Calendar;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.TimeZone;
import java.util.function.Supplier;

/**
 * Decides, per partition value of a migration unit, whether CDC changes may still be applied. Operators move write
 * ownership of one tenant or region by changing one row of the control table; the gate sees it within the refresh
 * interval. A partition without a row falls back to the unit's {@code *} row, and without that to LEGACY.
 */
public final class OwnershipGate {

    public static final String UNIT = "migration_unit";
    public static final String PARTITION = "partition_value";
    public static final String OWNER = "owner";
    public static final String SINCE = "since";
    static final String ANY_PARTITION = "*";

    private final SqlDialect dialect;
    private final TableId table;
    private final String unit;
    private final Supplier<Connection> connection;
    /** {@code since} is a wall-clock time in UTC, as {@code now() AT TIME ZONE 'UTC'} or a UTC session writes it. */
    private final Calendar utc = Calendar.getInstance(TimeZone.getTimeZone("UTC"));

    private final LoadingCache<String, Ownership> owners;

    /**
     * The owner of a partition and since when (epoch ms, or {@code null} when the row does not say), as read at
     * {@code loadedAtMillis}.
     */
    record Ownership(Owner owner, Long sinceMillis, long loadedAtMillis) {
        Owner at(long committedAtMillis) {
            return sinceMillis != null && committedAtMillis < sinceMillis ? owner.previous() : owner;
        }
    }

    /**
     * A change committed after an answer was read may follow a move the answer does not know: the answer is read
     * again, at most this often, instead of waiting out the refresh interval. A legacy write made just after a move
     * is then reported, and a service write made just after it written back, within this window rather than
     * ownership.refresh.ms.
     */
    static final long REVALIDATE_MILLIS = 200;

    /**
     * @param connection the connection to read the control table with; lookups happen on the calling thread
     */
    public OwnershipGate(
            SqlDialect dialect, TableId table, String unit, Duration refresh, Supplier<Connection> connection) {
        this.dialect = dialect;
        this.table = table;
        this.unit = unit;
        this.connection = connection;
        this.owners = Caffeine.newBuilder()
                .maximumSize(100_000)
                .expireAfterWrite(refresh)
                // Loads run on the task's own thread: the JDBC connection is not shared with a pool.
                .executor(Runnable::run)
                .recordStats()
                .build(this::load);
    }

    /** Creates the control table if missing, so operators can start inserting ownership rows. */
    public void ensureTable(Connection connection) throws SQLException {
        LinkedHashMap<String, String> columns = new LinkedHashMap<>();
        columns.put(UNIT, dialect.requiredColumn(JDBCType.VARCHAR, 255));
        columns.put(PARTITION, dialect.requiredColumn(JDBCType.VARCHAR, 255));
        columns.put(OWNER, dialect.requiredColumn(JDBCType.VARCHAR, 16));
        columns.put(SINCE, "TIMESTAMP NULL");
        BookkeepingTable.ensure(connection, dialect, table, columns, List.of(UNIT, PARTITION));
    }

    /** The owner of writes for this partition value now (as of the last refresh). */
    public Owner ownerOf(String partitionValue) {
        return owners.get(partitionValue == null ? ANY_PARTITION : partitionValue)
                .owner();
    }

    /**
     * The owner of writes for this partition value when a change was committed: a change committed before the
     * partition moved ({@code since}) belongs to the owner before, so a write that was in flight when ownership
     * moved is neither lost nor reported as a stray. Without {@code since} in the row, the owner now.
     */
    public Owner ownerAt(String partitionValue, long committedAtMillis) {
        String key = partitionValue == null ? ANY_PARTITION : partitionValue;
        Ownership ownership = owners.get(key);
        if (committedAtMillis >= ownership.loadedAtMillis()
                && System.currentTimeMillis() - ownership.loadedAtMillis() >= REVALIDATE_MILLIS) {
            owners.invalidate(key);
            ownership = owners.get(key);
        }
        return ownership.at(committedAtMillis);
    }

    public String unit() {
        return unit;
    }

    /**
     * Gives a partition to {@code owner} as of {@code sinceMillis} (UTC), in the caller's transaction, and forgets
     * the cached answer: how a hand-over the lanes decided moves it.
     */
    public void moveTo(Connection connection, String partitionValue, Owner owner, long sinceMillis)
            throws SQLException {
        try (PreparedStatement upsert = connection.prepareStatement(
                dialect.upsert(table, List.of(UNIT, PARTITION), List.of(UNIT, PARTITION, OWNER, SINCE)))) {
            upsert.setString(1, unit);
            upsert.setString(2, partitionValue);
            upsert.setString(3, owner.name());
            upsert.setTimestamp(4, new Timestamp(sinceMillis), utc);
            upsert.executeUpdate();
        }
        owners.invalidate(partitionValue);
    }

    /** Cache statistics, for metrics: lookups answered from the cache and from the table. */
    public CacheStats stats() {
        return owners.stats();
    }

    private Ownership load(String partitionValue) {
        String sql = dialect.selectWhere(
                table,
                List.of(PARTITION, OWNER, SINCE),
                Where.in(dialect)
                        .compare(UNIT, Where.Comparison.EQUAL)
                        .oneOf(PARTITION, 2)
                        .text());
        Connection db = connection.get();
        long loadedAt = System.currentTimeMillis();
        try (PreparedStatement statement = db.prepareStatement(sql)) {
            statement.setString(1, unit);
            statement.setString(2, partitionValue);
            statement.setString(3, ANY_PARTITION);
            Ownership specific = null;
            Ownership fallback = null;
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    Timestamp since = rs.getTimestamp(3, utc);
                    Ownership owner = new Ownership(
                            parse(rs.getString(2), rs.getString(1)), since == null ? null : since.getTime(), loadedAt);
                    if (partitionValue.equals(rs.getString(1))) {
                        specific = owner;
                    } else {
                        fallback = owner;
                    }
                }
            }
            db.commit();
            return specific != null
                    ? specific
                    : fallback != null ? fallback : new Ownership(Owner.LEGACY, null, loadedAt);
        } catch (SQLException e) {
            throw new OwnershipLookupFailure(
                    "Cannot read write ownership of " + unit + "/" + partitionValue + " from " + table + ": "
                            + e.getMessage(),
                    e);
        }
    }

    private Owner parse(String owner, String partitionValue) {
        try {
            return Owner.valueOf(owner.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new OwnershipLookupFailure(
                    "Ownership row " + unit + "/" + partitionValue + " in " + table + " names owner '" + owner
                            + "'; expected LEGACY or TARGET",
                    e);
        }
    }

    /** The control table could not be read or holds a value that means nothing. */
    public static final class OwnershipLookupFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public OwnershipLookupFailure(String message, Throwable cause) {
            super(message, cause);
        }

        public boolean isTransient() {
            return getCause() instanceof SQLException;
        }
    }
}
