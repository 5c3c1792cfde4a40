package io.rollingmigration.connect.reconcile.run;

import io.rollingmigration.connect.common.compare.Verdict;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Differences held for a recheck, by target key, in the order they fall due. Its size is bounded by the caller,
 * which stops reading new rows while the queue is full.
 */
final class SuspectQueue {

    private final LinkedHashMap<String, Suspect> suspects = new LinkedHashMap<>();

    /** Holds a new difference; one already held keeps its first sighting. */
    void hold(Verdict verdict, long now, long delay) {
        suspects.putIfAbsent(verdict.targetKey(), new Suspect(verdict, now, now, now, now + delay, 0));
    }

    /**
     * Holds a difference again after a recheck found it still possibly in flight; {@code changeSeen} is when the
     * legacy side it now differs by was first seen.
     */
    void requeue(Suspect suspect, Verdict verdict, long now, long delay, long changeSeen) {
        suspects.remove(verdict.targetKey());
        suspects.put(
                verdict.targetKey(),
                new Suspect(verdict, suspect.firstSeen(), changeSeen, now, now + delay, suspect.checks() + 1));
    }

    boolean contains(String targetKey) {
        return suspects.containsKey(targetKey);
    }

    /**
     * Removes and returns up to {@code max} suspects that are due, by the time they were held for or by the delay a
     * recheck needs now, whichever comes first.
     */
    List<Suspect> takeDue(long now, long delayNow, int max) {
        List<Suspect> due = new ArrayList<>();
        Iterator<Map.Entry<String, Suspect>> entries = suspects.entrySet().iterator();
        while (entries.hasNext() && due.size() < max) {
            Suspect suspect = entries.next().getValue();
            if (suspect.dueBy(now, delayNow)) {
                due.add(suspect);
                entries.remove();
            }
        }
        return due;
    }

    /** When the next suspect falls due, or {@code Long.MAX_VALUE} when none is held. */
    long nextDue(long delayNow) {
        long next = Long.MAX_VALUE;
        for (Suspect suspect : suspects.values()) {
            next = Math.min(next, suspect.dueAt(delayNow));
        }
        return next;
    }

    int size() {
        return suspects.size();
    }

    boolean isEmpty() {
        return suspects.isEmpty();
    }

    void clear() {
        suspects.clear();
    }
}
