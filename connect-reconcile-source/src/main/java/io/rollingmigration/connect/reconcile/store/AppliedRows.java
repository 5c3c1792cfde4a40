package io.rollingmigration.connect.reconcile.store;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The target rows the sink applied since the last run: the legacy keys they belong to, and where digests were read,
 * the digests of the live ones by legacy key (a key whose applied rows are all delete markers has none).
 */
public final class AppliedRows {

    /** No rows: a range without target rows. */
    static final AppliedRows NONE = new AppliedRows(false);

    private final Set<String> keys = new LinkedHashSet<>();
    private final Map<String, List<Long>> liveDigests;

    AppliedRows(boolean withDigests) {
        this.liveDigests = withDigests ? new HashMap<>() : null;
    }

    void add(String sourceKey) {
        keys.add(sourceKey);
    }

    void addMarker(String sourceKey) {
        keys.add(sourceKey);
        liveDigests.putIfAbsent(sourceKey, new ArrayList<>(1));
    }

    void addLive(String sourceKey, long digest) {
        keys.add(sourceKey);
        liveDigests.computeIfAbsent(sourceKey, k -> new ArrayList<>(1)).add(digest);
    }

    /** The legacy keys of the applied rows, in the order read. */
    public Set<String> keys() {
        return Collections.unmodifiableSet(keys);
    }

    public int size() {
        return keys.size();
    }

    /**
     * The digests of the live applied rows under a legacy key (empty if they are delete markers), or {@code null} if
     * no row under it was applied or no digests were read.
     */
    public List<Long> liveDigests(String sourceKey) {
        return liveDigests == null ? null : liveDigests.get(sourceKey);
    }
}
