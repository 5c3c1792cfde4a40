package io.rollingmigration.connect.reconcile.store;

import io.rollingmigration.connect.common.config.JdbcConnectionConfig;
import io.rollingmigration.connect.common.dialect.SqlDialect;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A read-only connection to one store: every query runs in a short read-only transaction (ended after each
 * chunk, so no snapshot or lock outlives it) and under a statement timeout. The reconciler never writes either
 * store.
 */
public final class Session implements AutoCloseable {

    private static final int CACHED_STATEMENTS = 16;

    private final Connection connection;
    private final SqlDialect dialect;
    private final int timeoutSeconds;
    private final int scanTimeoutSeconds;
    /** The connection's socket timeout, restored after a scan raised it; 0 when none was set. */
    private final long socketMillis;

    private final Map<String, PreparedStatement> statements = new LinkedHashMap<>(32, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, PreparedStatement> eldest) {
            if (size() > CACHED_STATEMENTS) {
                closeQuietly(eldest.getValue());
                return true;
            }
            return false;
        }
    };

    private Session(
            Connection connection, SqlDialect dialect, int timeoutSeconds, int scanTimeoutSeconds, long socketMillis) {
        this.connection = connection;
        this.dialect = dialect;
        this.timeoutSeconds = timeoutSeconds;
        this.scanTimeoutSeconds = scanTimeoutSeconds;
        this.socketMillis = socketMillis;
    }

    public static Session open(JdbcConnectionConfig config, int timeoutSeconds) throws SQLException {
        return open(config, timeoutSeconds, timeoutSeconds);
    }

    /** A session whose whole-table queries ({@link #scan}) may run up to {@code scanTimeoutSeconds}. */
    public static Session open(JdbcConnectionConfig config, int timeoutSeconds, int scanTimeoutSeconds)
            throws SQLException {
        return over(
                config.open(),
                config.dialect(),
                timeoutSeconds,
                scanTimeoutSeconds,
                config.timeouts().socketMillis());
    }

    /** Work on a whole-table query's statement. */
    @FunctionalInterface
    public interface Scan<T> {
        T read(PreparedStatement statement) throws SQLException;
    }

    /**
     * Runs a whole-table query under the scan timeout: the statement's, and the connection's socket timeout raised
     * above it for the query, then set back, so that a scan is not taken for a hung server.
     */
    public <T> T scan(String sql, Scan<T> work) throws SQLException {
        PreparedStatement statement = prepare(sql);
        int seconds = Math.max(scanTimeoutSeconds, timeoutSeconds);
        statement.setQueryTimeout(seconds);
        boolean raised = socketMillis > 0;
        if (raised) {
            connection.setNetworkTimeout(Runnable::run, (int) Math.min(Integer.MAX_VALUE, seconds * 1000L + 30_000));
        }
        try {
            return work.read(statement);
        } finally {
            statement.setQueryTimeout(timeoutSeconds);
            if (raised) {
                connection.setNetworkTimeout(Runnable::run, (int) socketMillis);
            }
        }
    }

    /** A session over a connection already open (closed if it cannot be made read-only). */
    public static Session over(Connection connection, SqlDialect dialect, int timeoutSeconds) throws SQLException {
        return over(connection, dialect, timeoutSeconds, timeoutSeconds, 0);
    }

    private static Session over(
            Connection connection, SqlDialect dialect, int timeoutSeconds, int scanTimeoutSeconds, long socketMillis)
            throws SQLException {
        try {
            connection.setAutoCommit(false);
            connection.setReadOnly(true);
            return new Session(connection, dialect, timeoutSeconds, scanTimeoutSeconds, socketMillis);
        } catch (SQLException e) {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // the original failure is the one to report
            }
            throw e;
        }
    }

    public SqlDialect dialect() {
        return dialect;
    }

    public Connection connection() {
        return connection;
    }

    /** A prepared statement for the text, reused while it stays among the recently used ones. */
    public PreparedStatement prepare(String sql) throws SQLException {
        PreparedStatement statement = statements.get(sql);
        if (statement == null || statement.isClosed()) {
            statement = connection.prepareStatement(sql);
            statement.setQueryTimeout(timeoutSeconds);
            statements.put(sql, statement);
        } else {
            statement.clearParameters();
        }
        return statement;
    }

    /** True if the connection still answers, checked within the statement timeout. */
    public boolean answers() {
        try {
            return connection.isValid(timeoutSeconds);
        } catch (SQLException e) {
            return false;
        }
    }

    /** Ends the current read-only transaction. */
    public void endTransaction() throws SQLException {
        connection.commit();
    }

    @Override
    public void close() {
        statements.values().forEach(Session::closeQuietly);
        statements.clear();
        try {
            connection.rollback();
        } catch (SQLException ignored) {
            // a broken connection has nothing to roll back
        }
        try {
            connection.close();
        } catch (SQLException ignored) {
            // closing a broken connection has nothing left to tell
        }
    }

    private static void closeQuietly(PreparedStatement statement) {
        try {
            statement.close();
        } catch (SQLException ignored) {
            // the connection may already be gone
        }
    }
}
