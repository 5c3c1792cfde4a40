package io.rollingmigration.connect.reconcile.digest;

/** The aggregate, the tables or the databases do not allow the comparison to be computed in SQL. */
public final class NotPushable extends Exception {

    private static final long serialVersionUID = 1L;

    public NotPushable(String reason) {
        super(reason);
    }
}
