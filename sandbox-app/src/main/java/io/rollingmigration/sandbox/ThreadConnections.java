package io.rollingmigration.sandbox;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * One open connection per thread, in place of the pool a real facade reads through: the facade's reads run on its
 * clients' thread and on the lane's threads, and a connection per read would cost the two cores more than the reads.
 */
final class ThreadConnections {

    interface Opener {
        Connection open() throws SQLException;
    }

    private final Opener opener;
    private final ThreadLocal<Connection> open = new ThreadLocal<>();

    ThreadConnections(Opener opener) {
        this.opener = opener;
    }

    /** This thread's connection, opened again if it was lost (a database restart, a timeout). */
    Connection get() throws SQLException {
        Connection connection = open.get();
        if (connection == null || connection.isClosed() || !connection.isValid(2)) {
            connection = opener.open();
            connection.setAutoCommit(true);
            open.set(connection);
        }
        return connection;
    }
}
