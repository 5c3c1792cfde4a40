package io.rollingmigration.connect.common.jdbc;

import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;

/**
 * Sorts database errors into "try the same work again later", "this record is bad", and everything else: one
 * classification for every plugin, so that the sink and the reconciler retry the same outages.
 */
public final class DatabaseErrors {

    private DatabaseErrors() {}

    /**
     * Connection failures (08), transaction rollbacks such as serialisation failures and deadlocks (40),
     * insufficient resources (53) and operator intervention such as a server shutting down (57).
     */
    public static boolean isTransient(SQLException error) {
        for (SQLException e = error; e != null; e = next(e)) {
            if (e instanceof SQLTransientException || e instanceof SQLRecoverableException) {
                return true;
            }
            String state = e.getSQLState();
            if (state != null
                    && (state.startsWith("08")
                            || state.startsWith("40")
                            || state.startsWith("53")
                            || state.startsWith("57"))) {
                return true;
            }
        }
        return false;
    }

    /** Data exceptions (22: value too long, invalid format...) and integrity violations (23). */
    public static boolean isBadData(SQLException error) {
        for (SQLException e = error; e != null; e = next(e)) {
            String state = e.getSQLState();
            if (state != null && (state.startsWith("22") || state.startsWith("23"))) {
                return true;
            }
        }
        return false;
    }

    /** The most telling message: a batch's own message often only says "see next exception". */
    public static String describe(SQLException error) {
        SQLException deepest = error;
        for (SQLException e = error; e != null; e = next(e)) {
            deepest = e;
        }
        return deepest.getMessage()
                + (deepest.getSQLState() == null ? "" : " (SQLState " + deepest.getSQLState() + ")");
    }

    private static SQLException next(SQLException e) {
        SQLException next = e.getNextException();
        if (next != null && next != e) {
            return next;
        }
        return e.getCause() instanceof SQLException && e.getCause() != e ? (SQLException) e.getCause() : null;
    }
}
