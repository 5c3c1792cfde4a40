package io.rollingmigration.connect.common.dialect;

import io.rollingmigration.testsupport.PostgresFixture;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TableDescriptionTest {

    @Test
    void underscoreInATableNameMatchesOnlyThatTable() throws Exception {
        PostgresFixture postgres = PostgresFixture.shared();
        postgres.execute(PostgresFixture.TARGET, "DROP TABLE IF EXISTS td_a_b", "DROP TABLE IF EXISTS td_axb",
                "CREATE TABLE td_a_b (id bigint PRIMARY KEY, name text NOT NULL, note text DEFAULT 'n')",
                "CREATE TABLE td_axb (other int)");
        try (Connection connection = postgres.connect(PostgresFixture.TARGET)) {
            TableDescription description = TableDescription.read(connection, new PostgresDialect(),
                    TableId.parse("td_a_b")).orElseThrow();

            assertEquals(List.of("id", "name", "note"), List.copyOf(description.columns().keySet()));
            assertEquals(List.of("id"), description.primaryKey());
            assertFalse(description.column("name").orElseThrow().canBeOmitted());
            assertTrue(description.column("note").orElseThrow().canBeOmitted());
            assertTrue(TableDescription.read(connection, new PostgresDialect(), TableId.parse("td_missing"))
                    .isEmpty());
        }
    }
}
