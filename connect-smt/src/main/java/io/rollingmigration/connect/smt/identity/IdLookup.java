package io.rollingmigration.connect.smt.identity;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.stats.CacheStats;
import io.rollingmigration.connect.common.config.JdbcConnectionConfig;
import io.rollingmigration.connect.common.config.RetryPolicy;
import io.rollingmigration.connect.common.dialect.ColumnDescription;
import io.rollingmigration.connect.common.dialect.TableDescription;
import io.rollingmigration.connect.common.dialect.TableId;
import io.rollingmigration.connect.common.jdbc.DatabaseErrors;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.errors.RetriableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Target ids kept in an id-mapping table of some database, read over JDBC and cached with Caffeine (bounded, with
 * expiry and hit/miss statistics). A legacy id without a mapping is cached as absent for the same time, so a
 * burst of unmapped records does not hammer the database.
 */
final class IdLookup implements AutoCloseable {

    private final JdbcConnectionConfig database;
    private final String sql;
    private final Cache<Object, Optional<String>> cache;
    private final TableId table;
    private final String legacyColumn;
    private Connection connection;
    /** Whether the legacy id column holds text, so a numeric legacy id is looked up as its text; read once. */
    private Boolean textColumn;

    private final RetryPolicy retries;
    private static final Logger LOG = LoggerFactory.getLogger(IdLookup.class);

    IdLookup(
            JdbcConnectionConfig database,
            TableId table,
            String legacyColumn,
            String targetColumn,
            long maxEntries,
            Duration expiry,
            RetryPolicy.Settings retry) {
        this.database = database;
        this.retries = new RetryPolicy(retry);
        this.table = table;
        this.legacyColumn = legacyColumn;
        this.sql = database.dialect().selectWhere(table, List.of(targetColumn), List.of(legacyColumn));
        this.cache = Caffeine.newBuilder()
                .maximumSize(maxEntries)
                .expireAfterWrite(expiry)
                .recordStats()
                .build();
    }

    /**
     * The target id, retrying an unreachable mapping database by the retry policy on the task's thread (a
     * transform has no way to hand a record back); once the policy is spent, Connect's own retries of the
     * transform (its errors.retry.timeout) or its error tolerance decide.
     */
    Optional<String> targetId(Object legacyId) {
        while (true) {
            try {
                Optional<String> id = cache.get(legacyId, this::query);
                Duration outage = retries.succeeded(System.currentTimeMillis());
                if (outage != null) {
                    LOG.info("The id mapping in {} answers again after {} s", database, outage.toSeconds());
                }
                return id;
            } catch (RetriableException e) {
                long now = System.currentTimeMillis();
                long delay = retries.failed(now);
                if (delay < 0) {
                    throw new RetriableException(e.getMessage() + "; gave up " + retries.spent(now), e.getCause());
                }
                LOG.warn("{}; {}", e.getMessage(), retries.waiting(now, delay));
                try {
                    Thread.sleep(delay);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    CacheStats stats() {
        return cache.stats();
    }

    private Optional<String> query(Object legacyId) {
        try {
            if (connection == null) {
                connection = database.open();
                connection.setReadOnly(true);
            }
            if (textColumn == null) {
                textColumn = TableDescription.read(connection, database.dialect(), table)
                        .flatMap(description -> description.column(legacyColumn))
                        .map(ColumnDescription::isText)
                        .orElse(false);
            }
            try (PreparedStatement statement = connection.prepareStatement(sql)) {
                if (textColumn && !(legacyId instanceof String)) {
                    statement.setString(
                            1, legacyId instanceof BigDecimal decimal ? decimal.toPlainString() : legacyId.toString());
                } else {
                    statement.setObject(1, legacyId);
                }
                try (ResultSet rs = statement.executeQuery()) {
                    return rs.next() ? Optional.ofNullable(rs.getString(1)) : Optional.empty();
                }
            }
        } catch (SQLException e) {
            close();
            if (DatabaseErrors.isTransient(e)) {
                // Connect retries a transform's retriable failure for errors.retry.timeout, with back-off, before
                // the record would count as failed: an outage of the mapping database must not send it to the DLQ.
                throw new RetriableException(
                        "Cannot reach the id mapping in " + database + " for now: " + DatabaseErrors.describe(e), e);
            }
            throw new ConnectException("Cannot look up target ids in " + database + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // nothing left to tell about a connection being closed
            }
            connection = null;
        }
    }
}
