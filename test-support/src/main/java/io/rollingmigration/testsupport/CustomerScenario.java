package io.rollingmigration.testsupport;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * The walking-skeleton migration: a legacy {@code customer} table copied into the target service's
 * {@code customer} table, which also carries the lineage columns of the sink's contract.
 */
public final class CustomerScenario {

    public static final String TABLE = "customer";
    public static final String TOPIC = "legacy.public.customer";
    public static final List<String> COLUMNS =
            List.of("id", "name", "email", "status", "balance", "region", "updated_at");

    private static final String LEGACY_DDL = "CREATE TABLE IF NOT EXISTS public.customer ("
            + "id bigint PRIMARY KEY, "
            + "name text NOT NULL, "
            + "email text, "
            + "status char(1) NOT NULL, "
            + "balance numeric(12,2) NOT NULL, "
            // The ownership partition: write ownership moves to the new service one region at a time.
            + "region text NOT NULL DEFAULT 'EU', "
            // Millisecond precision: the Debezium example config uses time.precision.mode=connect.
            + "updated_at timestamp(3) NOT NULL)";

    private static final String TARGET_DDL = "CREATE TABLE IF NOT EXISTS public.customer ("
            // Business columns are nullable: a delete the target learns of first leaves only a marker.
            + "id bigint PRIMARY KEY, "
            + "name text, "
            + "email text, "
            + "status char(1), "
            + "balance numeric(12,2), "
            + "region text, "
            + "updated_at timestamp(3), "
            + "lineage_source_system text, "
            + "lineage_source_table text, "
            + "lineage_source_key text COLLATE \"C\", "
            + "lineage_source_position bigint, "
            + "lineage_source_committed_at timestamptz, "
            + "lineage_operation text, "
            + "lineage_snapshot text, "
            + "lineage_rule text, "
            + "lineage_translated_at timestamptz, "
            + "lineage_applied_at timestamptz, "
            + "lineage_deleted_at timestamptz)";

    private final PostgresFixture postgres;

    public CustomerScenario(PostgresFixture postgres) {
        this.postgres = Objects.requireNonNull(postgres);
    }

    /** Creates both tables (empty) and the index the reconciler orders target rows by. */
    public void createSchemas() {
        postgres.execute(PostgresFixture.LEGACY, "DROP TABLE IF EXISTS public.customer", LEGACY_DDL);
        createTargetSchema();
    }

    /** Creates the target table (empty) and its index, for a legacy table that lives in another database. */
    public void createTargetSchema() {
        postgres.execute(
                PostgresFixture.TARGET,
                "DROP TABLE IF EXISTS public.customer",
                TARGET_DDL,
                "CREATE INDEX IF NOT EXISTS customer_lineage_source_key ON public.customer (lineage_source_key)");
    }

    /** Inserts customers {@code firstId .. firstId + count - 1} into the legacy table. */
    public void insertLegacyCustomers(long firstId, int count) {
        try (Connection connection = postgres.connect(PostgresFixture.LEGACY)) {
            insertCustomers(connection, "public.customer", "now()", firstId, count);
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot insert legacy customers: " + e.getMessage(), e);
        }
    }

    /**
     * Inserts customers {@code firstId .. firstId + count - 1} into a legacy customer table of any database, stamped
     * with {@code now}, that database's current-time function.
     */
    public static void insertCustomers(Connection connection, String table, String now, long firstId, int count)
            throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO " + table
                + " (id, name, email, status, balance, region, updated_at) VALUES (?, ?, ?, ?, ?, ?, " + now + ")")) {
            for (long id = firstId; id < firstId + count; id++) {
                insert.setLong(1, id);
                insert.setString(2, "Customer " + id);
                insert.setString(3, id % 7 == 0 ? null : "customer" + id + "@example.com");
                insert.setString(4, id % 3 == 0 ? "B" : "P");
                insert.setBigDecimal(5, new BigDecimal(id * 10 + ".25"));
                insert.setString(6, id % 2 == 0 ? "EU" : "US");
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }

    /** The table's business columns, ordered by id, as text: what both sides must agree on. */
    public List<String> legacyState() {
        return state(PostgresFixture.LEGACY, "");
    }

    /** The live target rows: rows the sink marked deleted are not customers any more. */
    public List<String> targetState() {
        return state(PostgresFixture.TARGET, LIVE);
    }

    public long legacyCount() {
        return count(PostgresFixture.LEGACY, "");
    }

    public long targetCount() {
        return count(PostgresFixture.TARGET, LIVE);
    }

    private static final String LIVE = "WHERE lineage_deleted_at IS NULL";

    private long count(String database, String where) {
        return ((Number) postgres.query(database, "SELECT count(*) FROM public.customer " + where)
                        .get(0)
                        .get(0))
                .longValue();
    }

    private List<String> state(String database, String where) {
        return postgres
                .query(
                        database,
                        "SELECT " + String.join(", ", COLUMNS) + " FROM public.customer " + where + " ORDER BY id")
                .stream()
                .map(row -> row.stream().map(String::valueOf).collect(Collectors.joining("|")))
                .collect(Collectors.toList());
    }
}
