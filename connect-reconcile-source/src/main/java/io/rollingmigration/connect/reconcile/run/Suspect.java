package io.rollingmigration.connect.reconcile.run;

import io.rollingmigration.connect.common.compare.Verdict;

/**
 * A difference not yet confirmed: it may be a change the pipeline is still delivering.
 *
 * @param verdict   the latest finding
 * @param firstSeen when it was first found, epoch ms
 * @param changeSeen when the legacy side it differs by was first seen: a recheck that finds the legacy row changed
 *                  since (updated, deleted, back) holds a new change, which may be on its way as of then
 * @param heldAt    when it was last held (found, or checked again), epoch ms
 * @param due       when to check it again at the latest, epoch ms
 * @param checks    how many times it was checked again and still differed
 */
record Suspect(Verdict verdict, long firstSeen, long changeSeen, long heldAt, long due, int checks) {

    /**
     * Due at the time it was held for, or sooner once the delay a recheck needs now has come down: a suspect held
     * for twice a lag of minutes, after an outage, need not wait for that once the pipeline has caught up.
     */
    boolean dueBy(long now, long delayNow) {
        return due <= now || heldAt + delayNow <= now;
    }

    /** The latest moment it falls due, given the delay a recheck needs now. */
    long dueAt(long delayNow) {
        return Math.min(due, heldAt + delayNow);
    }
}
