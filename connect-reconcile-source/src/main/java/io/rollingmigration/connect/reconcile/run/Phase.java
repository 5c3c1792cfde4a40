package io.rollingmigration.connect.reconcile.run;

/** Where a run stands; stored in the source offset so a restarted task resumes there. */
public enum Phase {
    /** Legacy rows in key order, each compared with the target rows under its key. */
    LEGACY,
    /** Live target rows in source key order, looking for those without a legacy row. */
    TARGET,
    /** Open drift this run has not seen yet, re-checked by key. */
    OPEN_DRIFT,
    /** Waiting for the run's suspects to be confirmed or to come into line. */
    SETTLE,
    /** Finished. */
    DONE
}
