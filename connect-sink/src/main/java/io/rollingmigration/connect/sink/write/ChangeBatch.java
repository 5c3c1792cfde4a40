package io.rollingmigration.connect.sink.write;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * The changes of one delivery, reduced to one change per row: the one with the highest version, and among equal
 * versions the one delivered last. Whatever the order of an update, a delete and a re-insert of one key within the
 * batch, the row ends in the state of its newest change, and each row is written once.
 */
public final class ChangeBatch {

    private final Map<RowKey, TargetChange> newest = new LinkedHashMap<>();
    private int received;
    private int duplicates;
    private int outOfOrder;

    public void add(TargetChange change) {
        received++;
        newest.merge(change.key(), change, (held, incoming) -> {
            if (incoming.version() == held.version()) {
                duplicates++;
            } else if (incoming.version() < held.version()) {
                outOfOrder++;
            }
            return incoming.version() >= held.version() ? incoming : held;
        });
    }

    /** Changes with the same version as one of the same row already in the delivery (replays, redeliveries). */
    public int duplicates() {
        return duplicates;
    }

    /** Changes older than one of the same row delivered before them in the delivery. */
    public int outOfOrder() {
        return outOfOrder;
    }

    /** The legacy commit times of the changes to write, for their replication lag. */
    public List<Long> commitTimes() {
        List<Long> times = new ArrayList<>(newest.size());
        for (TargetChange change : newest.values()) {
            change.committedAtMillis().ifPresent(times::add);
        }
        return times;
    }

    public Collection<TargetChange> changes() {
        return newest.values();
    }

    public List<TargetChange> upserts() {
        List<TargetChange> upserts = new ArrayList<>();
        for (TargetChange change : newest.values()) {
            if (!change.isDelete()) {
                upserts.add(change);
            }
        }
        return upserts;
    }

    public List<TargetChange> deletes() {
        List<TargetChange> deletes = new ArrayList<>();
        for (TargetChange change : newest.values()) {
            if (change.isDelete()) {
                deletes.add(change);
            }
        }
        return deletes;
    }

    public boolean isEmpty() {
        return newest.isEmpty();
    }

    /** The latest legacy commit time among the changes, for the replication lag. */
    public OptionalLong latestCommitTime() {
        return newest.values().stream()
                .map(TargetChange::committedAtMillis)
                .filter(OptionalLong::isPresent)
                .mapToLong(OptionalLong::getAsLong)
                .max();
    }

    /** How many records were added, before de-duplication. */
    public int received() {
        return received;
    }
}
