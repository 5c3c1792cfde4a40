package io.rollingmigration.readshift;

import io.rollingmigration.connect.common.dialect.SqlDialect;
import io.rollingmigration.connect.common.dialect.TableId;
import io.rollingmigration.connect.common.ownership.Owner;
import io.rollingmigration.connect.common.ownership.OwnershipGate;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The routing plan's check, beyond the rows it refuses: plans that are allowed but risky. Reads answered by the
 * service for a partition whose writes legacy still owns see each legacy change only after the replication lag;
 * reads answered by the service while the unit has open drift of severity HIGH or worse may return what the
 * reconciler has found wrong. Whether the backfill has landed is the operator's call, and not checked.
 */
public final class PlanCheck {

    /** A risky plan row: the unit, the partition and why. */
    public record Warning(String unit, String partition, String reason) {}

    private final SqlDialect dialect;
    private final RoutingPlanTable plan;
    private final TableId ownershipTable;
    private final OpenDrift drift;

    public PlanCheck(SqlDialect dialect, RoutingPlanTable plan, TableId ownershipTable, OpenDrift drift) {
        this.dialect = dialect;
        this.plan = plan;
        this.ownershipTable = ownershipTable;
        this.drift = drift;
    }

    /** The warnings of a unit's plan as the tables hold it now. */
    public List<Warning> check(Connection connection, String unit) throws SQLException {
        List<Warning> warnings = new ArrayList<>();
        boolean autoCommit = connection.getAutoCommit();
        connection.setAutoCommit(false);
        try {
            OwnershipGate owners =
                    new OwnershipGate(dialect, ownershipTable, unit, Duration.ofSeconds(1), () -> connection);
            long serious = drift.seriousOpenDrift(unit);
            for (RoutingPlanTable.Row row : plan.rowsOf(connection, unit)) {
                ReadPlan planned;
                try {
                    planned = ReadPlan.of(row.mode(), row.canaryPercent());
                } catch (InvalidPlan refused) {
                    warnings.add(new Warning(unit, row.partition(), "refused: " + refused.getMessage()));
                    continue;
                }
                if (planned.mode() != ReadMode.TARGET && planned.mode() != ReadMode.CANARY) {
                    continue;
                }
                Owner writes = ownerOf(owners, row.partition());
                if (planned.mode() == ReadMode.TARGET && writes == Owner.LEGACY) {
                    warnings.add(new Warning(
                            unit,
                            row.partition(),
                            "reads are answered by the service while legacy owns the writes: each legacy write "
                                    + "reaches readers only after the replication lag"));
                }
                if (serious > 0) {
                    warnings.add(new Warning(
                            unit,
                            row.partition(),
                            planned + " reads while the unit has " + serious + " open drift of severity HIGH or "
                                    + "worse: the service may answer what the reconciler found wrong"));
                }
            }
        } finally {
            connection.rollback();
            connection.setAutoCommit(autoCommit);
        }
        return warnings;
    }

    private static Owner ownerOf(OwnershipGate owners, String partition) {
        try {
            return owners.ownerOf(partition);
        } catch (RuntimeException e) {
            // No ownership table yet: nothing has moved.
            return Owner.LEGACY;
        }
    }
}
