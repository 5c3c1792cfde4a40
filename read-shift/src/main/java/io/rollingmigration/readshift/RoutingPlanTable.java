package io.rollingmigration.readshift;

import io.rollingmigration.connect.common.dialect.BookkeepingTable;
import io.rollingmigration.connect.common.dialect.SqlDialect;
import io.rollingmigration.connect.common.dialect.TableId;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.JDBCType;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Calendar;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.TimeZone;

/**
 * The control table of the read-shift lane, beside {@code migration_ownership} in the same store: one row per
 * migration unit and partition value with its read mode and, for a canary, the percentage of keys the service
 * answers. A unit's {@code *} row is the plan of its partitions without a row of their own.
 */
public final class RoutingPlanTable {

    public static final String DEFAULT_NAME = "migration_read_routing";
    public static final String UNIT = "migration_unit";
    public static final String PARTITION = "partition_value";
    public static final String MODE = "read_mode";
    public static final String PERCENT = "canary_percent";
    public static final String SINCE = "since";
    public static final String ANY_PARTITION = "*";

    /** A row as stored: its values unchecked, so that a row that makes no sense can be reported as such. */
    public record Row(String partition, String mode, BigDecimal canaryPercent) {}

    private final SqlDialect dialect;
    private final TableId table;
    private final Calendar utc = Calendar.getInstance(TimeZone.getTimeZone("UTC"));

    public RoutingPlanTable(SqlDialect dialect, TableId table) {
        this.dialect = dialect;
        this.table = table;
    }

    public TableId table() {
        return table;
    }

    /** Creates the table if missing, so that operators can start writing plan rows. */
    public void ensure(Connection connection) throws SQLException {
        LinkedHashMap<String, String> columns = new LinkedHashMap<>();
        columns.put(UNIT, dialect.requiredColumn(JDBCType.VARCHAR, 255));
        columns.put(PARTITION, dialect.requiredColumn(JDBCType.VARCHAR, 255));
        columns.put(MODE, dialect.requiredColumn(JDBCType.VARCHAR, 16));
        columns.put(PERCENT, dialect.optionalColumn(JDBCType.DECIMAL, 5));
        columns.put(SINCE, "TIMESTAMP NULL");
        inTransaction(
                connection,
                () -> BookkeepingTable.ensure(connection, dialect, table, columns, List.of(UNIT, PARTITION)));
    }

    /** The unit's row for the partition and its {@code *} row, as far as they exist: the specific one first. */
    public List<Row> rows(Connection connection, String unit, String partition) throws SQLException {
        return forPartition(rowsOf(connection, unit), partition);
    }

    /** Of a unit's rows, the partition's own and then the unit's {@code *} row, as far as they exist. */
    public static List<Row> forPartition(List<Row> unitRows, String partition) {
        List<Row> rows = new ArrayList<>(2);
        unitRows.stream().filter(r -> r.partition().equals(partition)).forEach(rows::add);
        if (!partition.equals(ANY_PARTITION)) {
            unitRows.stream().filter(r -> r.partition().equals(ANY_PARTITION)).forEach(rows::add);
        }
        return rows;
    }

    /** Every row of a unit, its {@code *} row among them, values unchecked. */
    public List<Row> rowsOf(Connection connection, String unit) throws SQLException {
        String sql = dialect.selectWhere(table, List.of(PARTITION, MODE, PERCENT), List.of(UNIT));
        List<Row> rows = new java.util.ArrayList<>();
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setString(1, unit);
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    rows.add(new Row(rs.getString(1), rs.getString(2), rs.getBigDecimal(3)));
                }
            }
        }
        if (!connection.getAutoCommit()) {
            connection.commit();
        }
        return rows;
    }

    /** Writes a partition's plan (validated, since a {@link ReadPlan} cannot be made otherwise) as of now. */
    public void write(Connection connection, String unit, String partition, ReadPlan plan) throws SQLException {
        String sql = dialect.upsert(table, List.of(UNIT, PARTITION), List.of(UNIT, PARTITION, MODE, PERCENT, SINCE));
        inTransaction(connection, () -> {
            try (PreparedStatement upsert = connection.prepareStatement(sql)) {
                upsert.setString(1, unit);
                upsert.setString(2, partition);
                upsert.setString(3, plan.mode().name());
                upsert.setBigDecimal(
                        4, plan.mode() == ReadMode.CANARY ? BigDecimal.valueOf(plan.canaryPercent()) : null);
                upsert.setTimestamp(5, new Timestamp(System.currentTimeMillis()), utc);
                upsert.executeUpdate();
            }
            connection.commit();
            return null;
        });
    }

    private interface Work<T> {
        T run() throws SQLException;
    }

    /** Runs work that commits itself on a connection that may be in auto-commit, as a pool hands them out. */
    private static <T> T inTransaction(Connection connection, Work<T> work) throws SQLException {
        boolean autoCommit = connection.getAutoCommit();
        connection.setAutoCommit(false);
        try {
            return work.run();
        } catch (SQLException | RuntimeException e) {
            connection.rollback();
            throw e;
        } finally {
            connection.setAutoCommit(autoCommit);
        }
    }
}
