package io.rollingmigration.connect.sink.write;

/** The database could not take the batch now (outage, failover, serialisation failure); the same batch may later. */
public final class TransientDatabaseException extends Exception {

    private static final long serialVersionUID = 1L;

    public TransientDatabaseException(String message, Throwable cause) {
        super(message, cause);
    }
}
