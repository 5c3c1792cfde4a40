package io.rollingmigration.readshift;

/** What one shadowed read showed. */
public enum ReadOutcome {
    /** Both stores gave the same aggregate, by the spec and the comparison rules. */
    MATCH,
    /** They differ, in the fields the record names. */
    MISMATCH,
    /** They differ, and a legacy change still on its way to the service explains it. Not a mismatch. */
    IN_FLIGHT,
    /** The legacy answer cannot be translated by the spec (a value it does not know); the record says why. */
    UNTRANSLATABLE,
    /** The read that did not answer the request failed; the request was answered all the same. */
    SECONDARY_FAILED,
    /** The read that did not answer the request took longer than its timeout; it was abandoned. */
    SECONDARY_TIMED_OUT,
    /** The read that answered the request failed, so there was nothing to compare. */
    PRIMARY_FAILED,
    /** No comparison was made: the lane's threads or queues were full, and the request went first. */
    SKIPPED;

    /** True for the outcomes that count in the alignment percentage: a comparison that was really made. */
    public boolean judged() {
        return this == MATCH || this == MISMATCH;
    }
}
