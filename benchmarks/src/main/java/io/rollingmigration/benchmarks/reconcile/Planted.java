package io.rollingmigration.benchmarks.reconcile;

import java.util.HashMap;
import java.util.Map;

/** The planted differences by legacy key, and how many of them a run found with the right kind. */
final class Planted {

    private final Map<String, String> kinds = new HashMap<>();

    void put(long id, String kind) {
        kinds.put("{\"id\":" + id + "}", kind);
    }

    int size() {
        return kinds.size();
    }

    /** Planted differences reported with their planted kind. */
    int found(Map<String, String> drift) {
        int found = 0;
        for (Map.Entry<String, String> planted : kinds.entrySet()) {
            if (planted.getValue().equals(drift.get(planted.getKey()))) {
                found++;
            }
        }
        return found;
    }

    /** Drift reported for keys nothing was planted on. */
    int falsePositives(Map<String, String> drift) {
        int wrong = 0;
        for (String key : drift.keySet()) {
            if (!kinds.containsKey(key)) {
                wrong++;
            }
        }
        return wrong;
    }
}
