package io.rollingmigration.connect.sink.write;

import java.sql.Statement;
import java.util.List;

/** What a write did: changes that took effect, changes the version guard refused as stale, deletes among them. */
public final class WriteOutcome {

    private int applied;
    private int stale;
    private int deleted;

    void count(TargetChange change, int updateCount) {
        // Statement.SUCCESS_NO_INFO (-2) means the row was written, without a count.
        if (updateCount > 0 || updateCount == Statement.SUCCESS_NO_INFO) {
            applied++;
            if (change.isDelete()) {
                deleted++;
            }
        } else {
            stale++;
        }
    }

    /**
     * Counts a multi-row statement's rows: it reports how many rows it wrote, and the guard refused the rest. Rows
     * of one statement are all deletes (soft-delete markers) or all upserts.
     */
    void countRows(List<TargetChange> rows, int written) {
        applied += written;
        stale += rows.size() - written;
        if (!rows.isEmpty() && rows.get(0).isDelete()) {
            deleted += written;
        }
    }

    void add(WriteOutcome other) {
        applied += other.applied;
        stale += other.stale;
        deleted += other.deleted;
    }

    public int applied() {
        return applied;
    }

    public int stale() {
        return stale;
    }

    public int deleted() {
        return deleted;
    }
}
