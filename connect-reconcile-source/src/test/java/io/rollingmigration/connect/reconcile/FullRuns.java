package io.rollingmigration.connect.reconcile;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rollingmigration.connect.reconcile.drift.OpenDriftSet;
import io.rollingmigration.connect.reconcile.run.Run;
import io.rollingmigration.connect.reconcile.run.RunOutput;
import io.rollingmigration.connect.reconcile.run.RunState;
import io.rollingmigration.connect.reconcile.store.KeyRange;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;

/** One whole full run over the tables a configuration names, its clock advancing a second per step. */
final class FullRuns {

    private FullRuns() {}

    /** What the run reported, by target key, and how many keys it compared. */
    record Outcome(Map<String, String> reported, long compared) {}

    /**
     * @param recheckMaxWaitMillis how long a suspect may wait for the pipeline before it is reported anyway
     * @param atStepFive           what happens in the stores while the run is under way (a change arriving)
     */
    static Outcome of(Map<String, String> settings, long recheckMaxWaitMillis, Runnable atStepFive) throws Exception {
        try (PreparedStores stores = PreparedStores.open(settings)) {
            Comparison.Prepared prepared = stores.prepared();
            long start = System.currentTimeMillis();
            AtomicLong clock = new AtomicLong(start);
            Run run = new Run(
                    RunState.begin(null, true, false, 0, null, null, start),
                    KeyRange.whole(),
                    prepared.legacy(),
                    prepared.target(),
                    prepared.judge(),
                    prepared.pairing(),
                    new OpenDriftSet(),
                    new Run.Settings(7, 1000, recheckMaxWaitMillis, 1000, 0),
                    null,
                    clock::get);
            Map<String, String> reported = new TreeMap<>();
            for (int step = 0; step < 200 && !run.finished(); step++) {
                if (step == 5) {
                    atStepFive.run();
                }
                RunOutput output = run.step(clock.get());
                output.reported()
                        .forEach(r -> reported.put(
                                r.drift().targetKey(), r.drift().kind().name()));
                clock.addAndGet(1000);
            }
            assertTrue(run.finished(), "the run ends");
            return new Outcome(reported, run.figures().compared());
        }
    }
}
