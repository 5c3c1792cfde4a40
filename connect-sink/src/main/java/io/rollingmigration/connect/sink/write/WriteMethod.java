package io.rollingmigration.connect.sink.write;

/** How rows reach the target table. */
public enum WriteMethod {
    /** Version-guarded upsert statements (multi-row where the database takes them). */
    STATEMENTS,
    /** The database's bulk path: stream into a staging table, then one guarded merge (PostgreSQL COPY). */
    COPY,
    /**
     * The bulk path for batches of at least {@link #COPY_FROM_ROWS} rows where the database has one, statements
     * otherwise: the staging table costs a round trip more, which a small batch does not pay back.
     */
    AUTO;

    /**
     * Where COPY starts to pay on PostgreSQL: {@code benchmarks/run sink --quick --batch N} measured statements
     * 17% faster at 100 rows and COPY 14% faster at 300 (docs/decisions/0006).
     */
    public static final int COPY_FROM_ROWS = 200;

    /** Whether a batch of {@code rows} goes through the staging table, on a database that has one or not. */
    public boolean stages(int rows, boolean databaseStages) {
        return switch (this) {
            case COPY -> true;
            case AUTO -> databaseStages && rows >= COPY_FROM_ROWS;
            default -> false;
        };
    }
}
