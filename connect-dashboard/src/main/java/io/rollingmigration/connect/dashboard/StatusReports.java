package io.rollingmigration.connect.dashboard;

import java.util.List;

/** Where the dashboard gets the tasks' latest status reports: the status topic, as {@link StatusBoard} follows it. */
interface StatusReports {

    List<StatusBoard.Report> reports();

    /** True once the reports are all there were when the worker started. */
    boolean caughtUp();
}
