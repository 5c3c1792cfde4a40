package io.rollingmigration.connect.reconcile;

import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.source.SourceRecord;

/** Polls a reconciler task, as a worker does, until the final summary of its run. */
final class TaskRuns {

    private TaskRuns() {}

    /**
     * Every record of the run, up to and including its final summary.
     *
     * @param afterEachPoll run after every poll, whether it returned records or not (to move a test clock on)
     */
    static List<SourceRecord> untilFinalSummary(ReconcileSourceTask task, int maxPolls, Runnable afterEachPoll)
            throws InterruptedException {
        List<SourceRecord> records = new ArrayList<>();
        for (int polls = 0; polls < maxPolls; polls++) {
            List<SourceRecord> batch = task.poll();
            afterEachPoll.run();
            if (batch != null) {
                records.addAll(batch);
                if (batch.stream().anyMatch(TaskRuns::isFinalSummary)) {
                    return records;
                }
            }
        }
        throw new AssertionError("no final summary after " + maxPolls + " polls: " + records);
    }

    /** The summary a run publishes when it has ended. */
    static boolean isFinalSummary(SourceRecord record) {
        return record.topic().equals("drift.summary")
                && "COMPLETED".equals(((Struct) record.value()).getString("status"));
    }
}
