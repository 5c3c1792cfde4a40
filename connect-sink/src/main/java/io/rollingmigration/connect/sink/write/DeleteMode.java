package io.rollingmigration.connect.sink.write;

/** What a delete does to the target row. */
public enum DeleteMode {
    /** Keep the row as a versioned marker ({@code lineage_deleted_at} set): nothing older can bring it back. */
    SOFT,
    /** Remove the row: simpler for readers, but a late change older than the delete recreates it. */
    HARD
}
