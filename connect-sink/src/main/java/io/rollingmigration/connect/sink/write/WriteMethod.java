package io.rollingmigration.connect.sink.write;

/** How rows reach the target table. */
public enum WriteMethod {
    /** Version-guarded upsert statements (multi-row where the database takes them). */
    STATEMENTS,
    /** The database's bulk path: stream into a staging table, then one guarded merge (PostgreSQL COPY). */
    COPY
}
