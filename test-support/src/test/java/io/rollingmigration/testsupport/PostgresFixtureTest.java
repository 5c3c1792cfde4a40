package io.rollingmigration.testsupport;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class PostgresFixtureTest {

    @Test
    void providesLegacyAndTargetDatabasesWithLogicalDecoding() {
        PostgresFixture pg = PostgresFixture.shared();

        assertEquals(List.of(List.of("logical")), pg.query(PostgresFixture.LEGACY, "SHOW wal_level"));
        pg.execute(
                PostgresFixture.TARGET,
                "CREATE TABLE IF NOT EXISTS fixture_probe (id int primary key)",
                "INSERT INTO fixture_probe VALUES (1) ON CONFLICT DO NOTHING");
        assertEquals(List.of(List.of(1)), pg.query(PostgresFixture.TARGET, "SELECT id FROM fixture_probe"));
    }

    @Test
    void survivesAServerRestart() {
        PostgresFixture pg = PostgresFixture.shared();
        pg.execute(
                PostgresFixture.LEGACY,
                "CREATE TABLE IF NOT EXISTS restart_probe (id int primary key)",
                "INSERT INTO restart_probe VALUES (7) ON CONFLICT DO NOTHING");

        pg.stopServer();
        pg.startServer();

        assertEquals(List.of(List.of(7)), pg.query(PostgresFixture.LEGACY, "SELECT id FROM restart_probe"));
    }
}
