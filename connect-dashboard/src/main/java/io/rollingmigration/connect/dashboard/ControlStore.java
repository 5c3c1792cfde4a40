package io.rollingmigration.connect.dashboard;

import io.rollingmigration.connect.common.dialect.SqlDialect;
import io.rollingmigration.connect.common.dialect.TableId;
import io.rollingmigration.connect.common.ownership.Owner;
import io.rollingmigration.connect.common.ownership.OwnershipGate;
import io.rollingmigration.connect.common.ownership.OwnershipMoves;
import io.rollingmigration.readshift.ReadPlan;
import io.rollingmigration.readshift.RoutingPlanTable;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Calendar;
import java.util.List;
import java.util.TimeZone;

/**
 * One service store's control tables as the dashboard reads and writes them: who owns each partition's writes,
 * the journal of hand-overs, the read-routing plan, and the audit trail of the changes asked through the
 * dashboard. Each call opens its own short transaction: the dashboard is asked a few times a minute, not per
 * change.
 */
final class ControlStore {

    /** A partition's owner and since when (epoch ms, or {@code null} when the row does not say). */
    record OwnerRow(String partition, String owner, Long sinceMillis) {}

    /** What a change asked through the dashboard did: the move it requested, or {@code null} when written. */
    record Written(Long moveId, String previous) {}

    private final DashboardConfig.Store store;
    private final SqlDialect dialect;
    private final TableId ownershipTable;
    private final OwnershipMoves moves;
    private final RoutingPlanTable routing;
    private final AuditTrail audit;
    private final Calendar utc = Calendar.getInstance(TimeZone.getTimeZone("UTC"));
    private volatile boolean prepared;

    ControlStore(DashboardConfig.Store store) {
        this.store = store;
        this.dialect = store.connection().dialect();
        this.ownershipTable = TableId.parse(store.ownershipTable());
        this.moves =
                store.movesTable().isEmpty() ? null : new OwnershipMoves(dialect, TableId.parse(store.movesTable()));
        this.routing = new RoutingPlanTable(dialect, TableId.parse(store.routingTable()));
        this.audit = new AuditTrail(dialect, TableId.parse(store.auditTable()));
    }

    String name() {
        return store.name();
    }

    boolean handsOverThroughJournal() {
        return moves != null;
    }

    private interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    private <T> T transaction(Work<T> work) throws SQLException {
        try (Connection connection = store.connection().open()) {
            connection.setAutoCommit(false);
            try {
                if (!prepared) {
                    prepare(connection);
                }
                T result = work.run(connection);
                connection.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                try {
                    connection.rollback();
                } catch (SQLException ignored) {
                    // The connection is closed next; the database rolls the transaction back.
                }
                throw e;
            }
        }
    }

    /** Creates the control tables the sinks and facades would create, so that a first move needs none of them. */
    private void prepare(Connection connection) throws SQLException {
        gate(null).ensureTable(connection);
        if (moves != null) {
            moves.ensureTable(connection);
        }
        routing.ensure(connection);
        audit.ensure(connection);
        connection.commit();
        prepared = true;
    }

    private OwnershipGate gate(String unit) {
        return new OwnershipGate(dialect, ownershipTable, unit, Duration.ofSeconds(1), () -> {
            throw new IllegalStateException("the dashboard reads ownership itself");
        });
    }

    List<OwnerRow> ownership(String unit) throws SQLException {
        return transaction(connection -> owners(connection, unit));
    }

    private List<OwnerRow> owners(Connection connection, String unit) throws SQLException {
        String sql = dialect.selectWhere(
                ownershipTable,
                List.of(OwnershipGate.PARTITION, OwnershipGate.OWNER, OwnershipGate.SINCE),
                List.of(OwnershipGate.UNIT));
        List<OwnerRow> rows = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement(sql)) {
            select.setString(1, unit);
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    Timestamp since = rs.getTimestamp(3, utc);
                    rows.add(new OwnerRow(rs.getString(1), rs.getString(2), since == null ? null : since.getTime()));
                }
            }
        }
        rows.sort((a, b) -> a.partition().compareTo(b.partition()));
        return rows;
    }

    List<OwnershipMoves.Entry> moves(String unit, int limit) throws SQLException {
        return moves == null ? List.of() : transaction(connection -> moves.recent(connection, unit, limit));
    }

    List<RoutingPlanTable.Row> routing(String unit) throws SQLException {
        return transaction(connection -> routing.rowsOf(connection, unit));
    }

    List<AuditTrail.Entry> audit(String unit, int limit) throws SQLException {
        return transaction(connection -> audit.recent(connection, unit, limit));
    }

    /**
     * Asks for a partition's writes to move, with the audit row in the same transaction: through the journal,
     * which the lane that must catch up carries out, or, without one, in the ownership table itself.
     */
    Written moveOwnership(
            String unit,
            String partition,
            Owner to,
            String principal,
            String reason,
            AuditTrail.Outcome outcome,
            String guardRails,
            long now)
            throws SQLException {
        return transaction(connection -> {
            String previous = owners(connection, unit).stream()
                    .filter(row -> row.partition().equals(partition))
                    .map(OwnerRow::owner)
                    .findFirst()
                    .orElse(null);
            Long moveId;
            if (moves != null) {
                moveId = moves.request(connection, unit, partition, to, principal + " (dashboard): " + reason);
            } else {
                gate(unit).moveTo(connection, partition, to, now);
                moveId = null;
            }
            audit.record(
                    connection,
                    new AuditTrail.Entry(
                            0,
                            now,
                            principal,
                            AuditTrail.Action.OWNERSHIP,
                            unit,
                            partition,
                            to.name(),
                            previous,
                            reason,
                            outcome,
                            guardRails,
                            moveId));
            return new Written(moveId, previous);
        });
    }

    /** Writes a partition's read plan, with the audit row in the same transaction. */
    Written route(
            String unit,
            String partition,
            ReadPlan plan,
            String principal,
            String reason,
            AuditTrail.Outcome outcome,
            String guardRails,
            long now)
            throws SQLException {
        return transaction(connection -> {
            String previous = RoutingPlanTable.forPartition(routing.rowsOf(connection, unit), partition).stream()
                    .filter(row -> row.partition().equals(partition))
                    .map(row -> describe(row))
                    .findFirst()
                    .orElse(null);
            routing.write(connection, unit, partition, plan);
            audit.record(
                    connection,
                    new AuditTrail.Entry(
                            0,
                            now,
                            principal,
                            AuditTrail.Action.READ_ROUTING,
                            unit,
                            partition,
                            describe(plan),
                            previous,
                            reason,
                            outcome,
                            guardRails,
                            null));
            return new Written(null, previous);
        });
    }

    /** Records a change the guard rails refused; nothing else changes. */
    void refused(
            AuditTrail.Action action,
            String unit,
            String partition,
            String changeTo,
            String principal,
            String reason,
            String guardRails,
            long now)
            throws SQLException {
        transaction(connection -> {
            audit.record(
                    connection,
                    new AuditTrail.Entry(
                            0,
                            now,
                            principal,
                            action,
                            unit,
                            partition,
                            changeTo,
                            null,
                            reason,
                            AuditTrail.Outcome.REFUSED,
                            guardRails,
                            null));
            return null;
        });
    }

    static String describe(ReadPlan plan) {
        return plan.mode() == io.rollingmigration.readshift.ReadMode.CANARY
                ? "CANARY "
                        + new java.math.BigDecimal(Double.toString(plan.canaryPercent()))
                                .stripTrailingZeros()
                                .toPlainString()
                        + "%"
                : plan.mode().name();
    }

    private static String describe(RoutingPlanTable.Row row) {
        return row.canaryPercent() == null
                ? row.mode()
                : row.mode() + " " + row.canaryPercent().stripTrailingZeros().toPlainString() + "%";
    }
}
