package io.rollingmigration.connect.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.rollingmigration.connect.common.dialect.PostgresDialect;
import io.rollingmigration.connect.common.dialect.TableId;
import io.rollingmigration.testsupport.PostgresFixture;
import java.sql.Connection;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A unit's audit trail reads back newest first, at most as many entries as asked, and only that unit's. */
class AuditTrailTest {

    private static final String TABLE = "audit_trail_test";
    private static PostgresFixture postgres;

    @BeforeAll
    static void database() {
        postgres = PostgresFixture.shared();
        postgres.execute(PostgresFixture.TARGET, "DROP TABLE IF EXISTS public." + TABLE);
    }

    @AfterAll
    static void dropTheTrail() {
        postgres.execute(PostgresFixture.TARGET, "DROP TABLE IF EXISTS public." + TABLE);
    }

    @Test
    void theNewestEntriesOfTheUnitComeFirstUpToTheLimit() throws Exception {
        AuditTrail trail = new AuditTrail(new PostgresDialect(), TableId.parse("public." + TABLE));
        try (Connection connection = postgres.connect(PostgresFixture.TARGET)) {
            connection.setAutoCommit(false);
            trail.ensure(connection);
            for (int i = 1; i <= 5; i++) {
                trail.record(connection, entry("policy", "reason " + i, i));
                trail.record(connection, entry("claim", "other unit " + i, i));
            }

            List<String> reasons = trail.recent(connection, "policy", 3).stream()
                    .map(AuditTrail.Entry::reason)
                    .toList();
            assertEquals(List.of("reason 5", "reason 4", "reason 3"), reasons);
            assertEquals(5, trail.recent(connection, "policy", 100).size());
            connection.rollback();
        }
    }

    private static AuditTrail.Entry entry(String unit, String reason, long at) {
        return new AuditTrail.Entry(
                0,
                at,
                "alice",
                AuditTrail.Action.OWNERSHIP,
                unit,
                "EU",
                "TARGET",
                "LEGACY",
                reason,
                AuditTrail.Outcome.ACCEPTED,
                null,
                null);
    }
}
