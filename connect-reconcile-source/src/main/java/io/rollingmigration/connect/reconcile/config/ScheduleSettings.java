package io.rollingmigration.connect.reconcile.config;

import static io.rollingmigration.connect.reconcile.ReconcileConfig.*;

import org.apache.kafka.common.config.ConfigDef;

/** The reconciler's "Schedule" settings: when runs start, and how suspects are rechecked before they become drift. */
public final class ScheduleSettings {

    private static final String GROUP = "Schedule";

    private ScheduleSettings() {}

    public static void define(ConfigDef def) {
        int order = 0;
        def.define(
                        MODE,
                        ConfigDef.Type.STRING,
                        "full",
                        ConfigDef.CaseInsensitiveValidString.in("full", "incremental"),
                        ConfigDef.Importance.MEDIUM,
                        "'full': every run compares every row. 'incremental': runs compare the rows changed since "
                                + "the previous run (legacy.change.column, and the target's lineage_applied_at), "
                                + "plus open drift; a full run happens every full.sweep.interval.ms.",
                        GROUP,
                        ++order,
                        ConfigDef.Width.SHORT,
                        "Mode")
                .define(
                        CHANGE_COLUMN,
                        ConfigDef.Type.STRING,
                        "",
                        ConfigDef.Importance.MEDIUM,
                        "A legacy column that every write sets to the time of the change (e.g. updated_at). Used "
                                + "by incremental runs, and to hold a mismatch as in flight while the target's "
                                + "applied position is older than the legacy change.",
                        GROUP,
                        ++order,
                        ConfigDef.Width.MEDIUM,
                        "Legacy change column")
                .define(
                        INCREMENTAL_OVERLAP_MS,
                        ConfigDef.Type.LONG,
                        60_000L,
                        ConfigDef.Range.atLeast(0),
                        ConfigDef.Importance.LOW,
                        "Incremental runs also re-check changes this much older than the previous run's start, "
                                + "for transactions that committed late.",
                        GROUP,
                        ++order,
                        ConfigDef.Width.SHORT,
                        "Incremental overlap (ms)")
                .define(
                        FULL_SWEEP_INTERVAL_MS,
                        ConfigDef.Type.LONG,
                        86_400_000L,
                        ConfigDef.Range.atLeast(0),
                        ConfigDef.Importance.LOW,
                        "In incremental mode, the time between full runs (they also find legacy deletes and "
                                + "direct edits of the target that no change column shows).",
                        GROUP,
                        ++order,
                        ConfigDef.Width.SHORT,
                        "Full sweep interval (ms)")
                .define(
                        INTERVAL_MS,
                        ConfigDef.Type.LONG,
                        60_000L,
                        ConfigDef.Range.atLeast(100),
                        ConfigDef.Importance.MEDIUM,
                        "Time between the starts of two runs, in milliseconds. A restarted task keeps the "
                                + "schedule of its last completed run.",
                        GROUP,
                        ++order,
                        ConfigDef.Width.SHORT,
                        "Interval (ms)")
                .define(
                        PROGRESS_INTERVAL_MS,
                        ConfigDef.Type.LONG,
                        10_000L,
                        ConfigDef.Range.atLeast(100),
                        ConfigDef.Importance.LOW,
                        "How often a running sweep publishes its progress (and commits the position a restarted "
                                + "task resumes from).",
                        GROUP,
                        ++order,
                        ConfigDef.Width.SHORT,
                        "Progress interval (ms)")
                .define(
                        RECHECK_DELAY_MS,
                        ConfigDef.Type.LONG,
                        5_000L,
                        ConfigDef.Range.atLeast(0),
                        ConfigDef.Importance.MEDIUM,
                        "A difference is first held as suspect and checked again after this delay, or after "
                                + "twice the replication lag observed in the target, whichever is longer; only a "
                                + "difference that persists is drift.",
                        GROUP,
                        ++order,
                        ConfigDef.Width.SHORT,
                        "Recheck delay (ms)")
                .define(
                        RECHECK_MAX_WAIT_MS,
                        ConfigDef.Type.LONG,
                        600_000L,
                        ConfigDef.Range.atLeast(0),
                        ConfigDef.Importance.LOW,
                        "A suspect whose legacy change the pipeline has still not applied after this long is "
                                + "reported as drift anyway: the pipeline is stuck.",
                        GROUP,
                        ++order,
                        ConfigDef.Width.SHORT,
                        "Recheck max wait (ms)")
                .define(
                        SUSPECTS_MAX,
                        ConfigDef.Type.INT,
                        100_000,
                        ConfigDef.Range.atLeast(1),
                        ConfigDef.Importance.LOW,
                        "Suspects held at once; when full, the sweep waits for rechecks before reading on, so "
                                + "memory stays bounded.",
                        GROUP,
                        ++order,
                        ConfigDef.Width.SHORT,
                        "Max suspects");
    }
}
