package io.rollingmigration.testsupport;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

class MariaDbFixtureTest {

    @Test
    void reachesMariaDbAndCreatesDatabases() throws Exception {
        MariaDbFixture mariadb = MariaDbFixture.availableOrSkip();
        mariadb.createDatabase("fixture_probe");
        mariadb.execute(
                "fixture_probe",
                "CREATE TABLE IF NOT EXISTS probe (id int primary key)",
                "INSERT IGNORE INTO probe VALUES (3)");
        try (Connection connection = mariadb.connect("fixture_probe");
                Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery("SELECT id FROM probe")) {
            rs.next();
            assertEquals(3, rs.getInt(1));
        }
    }
}
