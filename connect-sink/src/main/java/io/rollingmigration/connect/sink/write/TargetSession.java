package io.rollingmigration.connect.sink.write;

import io.rollingmigration.connect.common.config.JdbcConnectionConfig;
import io.rollingmigration.connect.common.dialect.TableId;
import io.rollingmigration.connect.common.jdbc.DatabaseErrors;
import java.sql.Connection;
import java.sql.SQLException;
import org.apache.kafka.connect.errors.ConnectException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The writer's one connection to the target store and the transactions over it. Every failure is sorted once: an
 * outage closes the connection and becomes a {@link TransientDatabaseException} (the same work may succeed later),
 * bad data in a batch becomes a {@link RejectedData} where the caller asks for it, anything else stops the task.
 */
public final class TargetSession implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TargetSession.class);

    /** Work inside one transaction. */
    @FunctionalInterface
    public interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    /** The database refused a batch for its data (SQLState 22 or 23); the transaction is rolled back. */
    public static final class RejectedData extends Exception {
        private static final long serialVersionUID = 1L;

        RejectedData(SQLException cause) {
            super(DatabaseErrors.describe(cause), cause);
        }
    }

    /** Told when the connection is gone, so that what lived on it (staging tables) is forgotten too. */
    @FunctionalInterface
    public interface Reset {
        void connectionReset();
    }

    private final JdbcConnectionConfig config;
    private final TableId table;
    private final Reset reset;
    private Connection connection;

    public TargetSession(JdbcConnectionConfig config, TableId table, Reset reset) {
        this.config = config;
        this.table = table;
        this.reset = reset;
    }

    /** The open connection, opened if needed. */
    public Connection connection() throws TransientDatabaseException {
        if (connection == null) {
            try {
                connection = config.open();
                connection.setAutoCommit(false);
            } catch (SQLException e) {
                close();
                if (DatabaseErrors.isTransient(e)) {
                    throw new TransientDatabaseException(
                            "Cannot reach " + config + ": " + DatabaseErrors.describe(e), e);
                }
                throw new ConnectException("Cannot use " + config + ": " + DatabaseErrors.describe(e), e);
            }
        }
        return connection;
    }

    /** Runs the work and commits; any database failure is a retry or a stop. */
    public <T> T transaction(Work<T> work) throws TransientDatabaseException {
        try {
            return batch(work);
        } catch (RejectedData rejected) {
            throw new ConnectException(
                    "Writing to " + table + " failed: " + rejected.getMessage(), rejected.getCause());
        }
    }

    /** Runs the work and commits; bad data is handed back to the caller as {@link RejectedData}. */
    public <T> T batch(Work<T> work) throws TransientDatabaseException, RejectedData {
        Connection db = connection();
        try {
            T result = work.run(db);
            db.commit();
            return result;
        } catch (SQLException e) {
            rollback(e);
            if (DatabaseErrors.isTransient(e) || isClosed()) {
                close();
                throw new TransientDatabaseException(
                        "Writing to " + table + " failed for now: " + DatabaseErrors.describe(e), e);
            }
            if (DatabaseErrors.isBadData(e)) {
                throw new RejectedData(e);
            }
            throw new ConnectException("Writing to " + table + " failed: " + DatabaseErrors.describe(e), e);
        }
    }

    private boolean isClosed() {
        try {
            return connection == null || connection.isClosed() || !connection.isValid(2);
        } catch (SQLException e) {
            return true;
        }
    }

    private void rollback(SQLException cause) {
        // Whatever the rolled-back transaction created (a staging table) is gone with it.
        reset.connectionReset();
        try {
            if (connection != null && !connection.isClosed()) {
                connection.rollback();
            }
        } catch (SQLException e) {
            cause.addSuppressed(e);
            close();
        }
    }

    @Override
    public void close() {
        reset.connectionReset();
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException e) {
                LOG.debug("Closing the connection to {} failed", table, e);
            }
            connection = null;
        }
    }
}
