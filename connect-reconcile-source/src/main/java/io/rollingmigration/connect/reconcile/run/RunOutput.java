package io.rollingmigration.connect.reconcile.run;

import io.rollingmigration.connect.common.drift.Drift;
import io.rollingmigration.connect.reconcile.drift.OpenDrift;
import java.util.ArrayList;
import java.util.List;

/** What one step of a run found: drift to publish (new or still open) and open drift that came back into line. */
public final class RunOutput {

    /** A drift to publish, with the state its record carries. */
    public record Reported(Drift drift, OpenDrift state) {}

    private final List<Reported> reported = new ArrayList<>();
    private final List<String> resolved = new ArrayList<>();

    void report(Drift drift, OpenDrift state) {
        reported.add(new Reported(drift, state));
    }

    void resolve(String targetKey) {
        resolved.add(targetKey);
    }

    public List<Reported> reported() {
        return reported;
    }

    /** Target keys whose open drift is resolved: each gets a tombstone. */
    public List<String> resolved() {
        return resolved;
    }

    public boolean isEmpty() {
        return reported.isEmpty() && resolved.isEmpty();
    }
}
