package io.rollingmigration.readshift;

/** What the plan's check asks of the reconciler's open drift. */
@FunctionalInterface
public interface OpenDrift {

    /** Open drift of the unit's aggregate of severity HIGH or CRITICAL. */
    long seriousOpenDrift(String unit);

    /** When the drift is not known: the check says nothing about it. */
    static OpenDrift unknown() {
        return unit -> 0;
    }
}
