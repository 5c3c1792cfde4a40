package io.rollingmigration.sandbox;

import io.rollingmigration.readshift.LegacyAnswer;
import io.rollingmigration.readshift.ReadShift;
import io.rollingmigration.readshift.RouteDecision;
import io.rollingmigration.readshift.ServiceAnswer;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;

/**
 * The example facade: what a team puts in front of the customer capability while reads move. Each read asks the
 * read-shift lane where it goes (by region and customer id, for the calling consumer), and gives it both ways to
 * answer: the legacy table, and the new service's store. The lane answers from the store the plan names, and
 * compares the two where the plan shadows or canaries the region.
 */
final class CustomerFacade {

    /** What the facade answers its clients, whichever store made it. */
    record Customer(long id, String name, String status, BigDecimal balance, String answeredBy) {}

    private final ReadShift reads;
    private final ConnectionSource legacy;
    private final String legacyTable;
    private final ConnectionSource service;

    /** Where a read's connections come from: a pool, in a real facade. */
    interface ConnectionSource {
        Connection get() throws SQLException;
    }

    CustomerFacade(ReadShift reads, ConnectionSource legacy, String legacyTable, ConnectionSource service) {
        this.reads = reads;
        this.legacy = legacy;
        this.legacyTable = legacyTable;
        this.service = service;
    }

    /** The customer, or {@code null} when the answering store has none. */
    Customer customer(String region, long id, String consumer) throws Exception {
        RouteDecision route = reads.route("customer", region, Long.toString(id), consumer);
        return reads.read(
                route,
                () -> {
                    List<Map<String, Object>> rows =
                            select(legacy, "SELECT * FROM " + legacyTable + " WHERE id = ?", id);
                    return LegacyAnswer.of(view(rows, "legacy"), rows);
                },
                () -> {
                    List<Map<String, Object>> rows = select(
                            service, "SELECT * FROM public.customer WHERE id = ? AND lineage_deleted_at IS NULL", id);
                    return ServiceAnswer.of(view(rows, "service"), rows);
                });
    }

    private static List<Map<String, Object>> select(ConnectionSource source, String sql, long id) throws SQLException {
        // The source's connection is a pool's, not the read's to close.
        Connection connection = source.get();
        try (PreparedStatement select = connection.prepareStatement(sql)) {
            select.setLong(1, id);
            try (ResultSet rs = select.executeQuery()) {
                return LegacyAnswer.rows(rs);
            }
        }
    }

    private static Customer view(List<Map<String, Object>> rows, String answeredBy) {
        if (rows.isEmpty()) {
            return null;
        }
        Map<String, Object> row = rows.get(0);
        return new Customer(
                ((Number) row.get("id")).longValue(),
                (String) row.get("name"),
                String.valueOf(row.get("status")),
                new BigDecimal(row.get("balance").toString()),
                answeredBy);
    }
}
