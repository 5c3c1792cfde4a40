package io.rollingmigration.connect.common.dialect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rollingmigration.testsupport.MariaDbFixture;
import io.rollingmigration.testsupport.PostgresFixture;
import java.sql.Connection;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TableDescriptionTest {

    @Test
    void underscoreInATableNameMatchesOnlyThatTable() throws Exception {
        PostgresFixture postgres = PostgresFixture.shared();
        postgres.execute(
                PostgresFixture.TARGET,
                "DROP TABLE IF EXISTS td_a_b",
                "DROP TABLE IF EXISTS td_axb",
                "CREATE TABLE td_a_b (id bigint PRIMARY KEY, name text NOT NULL, note text DEFAULT 'n')",
                "CREATE TABLE td_axb (other int)");
        try (Connection connection = postgres.connect(PostgresFixture.TARGET)) {
            TableDescription description = TableDescription.read(
                            connection, new PostgresDialect(), TableId.parse("td_a_b"))
                    .orElseThrow();

            assertEquals(
                    List.of("id", "name", "note"),
                    List.copyOf(description.columns().keySet()));
            assertEquals(List.of("id"), description.primaryKey());
            assertFalse(description.column("name").orElseThrow().canBeOmitted());
            assertTrue(description.column("note").orElseThrow().canBeOmitted());
            assertTrue(TableDescription.read(connection, new PostgresDialect(), TableId.parse("td_missing"))
                    .isEmpty());
        }
    }

    @Test
    void aTimeColumnTellsTheStepItsValuesWereRoundedTo() throws Exception {
        PostgresFixture postgres = PostgresFixture.shared();
        postgres.execute(
                PostgresFixture.TARGET,
                "DROP TABLE IF EXISTS td_times",
                "CREATE TABLE td_times "
                        + "(id bigint PRIMARY KEY, at_ms timestamp(3), at_us timestamp, at_s timestamptz(0), on_day date)");
        try (Connection connection = postgres.connect(PostgresFixture.TARGET)) {
            TableDescription description = TableDescription.read(
                            connection, new PostgresDialect(), TableId.parse("td_times"))
                    .orElseThrow();

            assertEquals(
                    Optional.of(Duration.ofMillis(1)),
                    description.column("at_ms").orElseThrow().timeResolution());
            assertEquals(
                    Optional.of(Duration.ofNanos(1000)),
                    description.column("at_us").orElseThrow().timeResolution());
            assertEquals(
                    Optional.of(Duration.ofSeconds(1)),
                    description.column("at_s").orElseThrow().timeResolution());
            assertEquals(
                    Optional.of(Duration.ofDays(1)),
                    description.column("on_day").orElseThrow().timeResolution());
            assertEquals(
                    Optional.empty(), description.column("id").orElseThrow().timeResolution());
        }
    }

    @Test
    void aMariaDbDatetimeTellsItsFractionalSecondsPrecision() throws Exception {
        MariaDbFixture mariadb = MariaDbFixture.availableOrSkip();
        mariadb.createDatabase("td_times");
        mariadb.execute(
                "td_times",
                "DROP TABLE IF EXISTS td_times",
                "CREATE TABLE td_times "
                        + "(id bigint PRIMARY KEY, at_ms datetime(3), at_s datetime, stamped timestamp(6) NULL)");
        try (Connection connection = mariadb.connect("td_times")) {
            TableDescription description = TableDescription.read(
                            connection, new MariaDbDialect(), TableId.parse("td_times"))
                    .orElseThrow();

            assertEquals(
                    Optional.of(Duration.ofMillis(1)),
                    description.column("at_ms").orElseThrow().timeResolution());
            assertEquals(
                    Optional.of(Duration.ofSeconds(1)),
                    description.column("at_s").orElseThrow().timeResolution());
            assertEquals(
                    Optional.of(Duration.ofNanos(1000)),
                    description.column("stamped").orElseThrow().timeResolution());
        }
    }
}
