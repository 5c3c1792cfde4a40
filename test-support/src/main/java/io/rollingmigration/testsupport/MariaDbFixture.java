package io.rollingmigration.testsupport;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Assumptions;
import org.mariadb.jdbc.Driver;

/**
 * The machine's MariaDB (127.0.0.1:3306, user root, empty password, unless {@code MIGRATION_TEST_MARIADB_HOST},
 * {@code _PORT}, {@code _USER}, {@code _PASSWORD} say otherwise). If it is not running, it is started with
 * {@code start-stop-daemon}; if the machine has no MariaDB server at all, {@link #availableOrSkip()} skips the test
 * with a loud message instead of failing it.
 */
public final class MariaDbFixture implements AutoCloseable {

    private static final Path SERVER = Paths.get("/usr/sbin/mariadbd");
    private static MariaDbFixture shared;

    private final String host;
    private final int port;
    private final String user;
    private final String password;
    private PrivateMariaDb owned;

    private MariaDbFixture(String host, int port, String user, String password) {
        this.host = host;
        this.port = port;
        this.user = user;
        this.password = password;
    }

    /** The MariaDB server, started if needed; skips the calling test (JUnit assumption) if none can be had. */
    public static synchronized MariaDbFixture availableOrSkip() {
        if (shared == null) {
            MariaDbFixture candidate = new MariaDbFixture(
                    env("MIGRATION_TEST_MARIADB_HOST", "127.0.0.1"),
                    Integer.parseInt(env("MIGRATION_TEST_MARIADB_PORT", "3306")),
                    env("MIGRATION_TEST_MARIADB_USER", "root"),
                    env("MIGRATION_TEST_MARIADB_PASSWORD", ""));
            if (!candidate.reachable()) {
                if (!Files.isExecutable(SERVER)) {
                    String message = "SKIPPING MariaDB tests: no MariaDB server reachable at " + candidate.host + ":"
                            + candidate.port + " and no " + SERVER + " to start one";
                    System.err.println("*** " + message + " ***");
                    Assumptions.abort(message);
                }
                ProcessRunner.run(
                        List.of(
                                "start-stop-daemon",
                                "--start",
                                "--oknodo",
                                "--background",
                                "--exec",
                                SERVER.toString()),
                        Paths.get("/"));
                Await.until(Duration.ofSeconds(60), "MariaDB to accept connections", candidate::reachable);
            }
            shared = candidate;
        }
        return shared;
    }

    /**
     * A MariaDB server of the caller's own, set up as a legacy database Debezium streams from (binary log in ROW
     * format, GTIDs); {@link #close()} stops and removes it. Skips the calling test if the machine has no MariaDB
     * server binaries.
     */
    public static MariaDbFixture startOwned() {
        if (!PrivateMariaDb.installed()) {
            String message = "SKIPPING MariaDB legacy tests: no MariaDB server binaries to start a private server";
            System.err.println("*** " + message + " ***");
            Assumptions.abort(message);
        }
        PrivateMariaDb server = PrivateMariaDb.start();
        MariaDbFixture fixture = new MariaDbFixture("127.0.0.1", server.port(), "root", "");
        fixture.owned = server;
        Await.until(
                Duration.ofSeconds(60),
                "the private MariaDB to accept connections",
                () -> server.running() && fixture.reachable());
        return fixture;
    }

    public String host() {
        return host;
    }

    public int port() {
        return port;
    }

    /** Stops and removes the server if it is this fixture's own; the shared one is left running. */
    @Override
    public void close() {
        if (owned != null) {
            owned.stop();
        }
    }

    public String jdbcUrl(String database) {
        return "jdbc:mariadb://" + host + ":" + port + "/" + database;
    }

    public String user() {
        return user;
    }

    public String password() {
        return password;
    }

    /**
     * The connection settings of our plugins for a database of this server, under a key prefix: {@code ""} for the
     * sink, {@code "legacy."} or {@code "target."} for the reconciler.
     */
    public Map<String, String> connectionSettings(String prefix, String database) {
        return Map.of(
                prefix + "connection.url",
                jdbcUrl(database),
                prefix + "connection.user",
                user(),
                prefix + "connection.password",
                password());
    }

    public Connection connect(String database) throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", user);
        properties.setProperty("password", password);
        return new Driver().connect(jdbcUrl(database), properties);
    }

    /** Creates the database unless it exists. */
    public void createDatabase(String name) {
        execute("", "CREATE DATABASE IF NOT EXISTS `" + name.replace("`", "``") + "` CHARACTER SET utf8mb4");
    }

    public void execute(String database, String... statements) {
        try (Connection connection = connect(database);
                Statement statement = connection.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("SQL failed on MariaDB " + database + ": " + e.getMessage(), e);
        }
    }

    /** Runs a query and returns its rows, each as a list of column values. */
    public List<List<Object>> query(String database, String sql) {
        try (Connection connection = connect(database);
                Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery(sql)) {
            List<List<Object>> rows = new ArrayList<>();
            int columns = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                List<Object> row = new ArrayList<>(columns);
                for (int i = 1; i <= columns; i++) {
                    row.add(rs.getObject(i));
                }
                rows.add(row);
            }
            return rows;
        } catch (SQLException e) {
            throw new IllegalStateException("Query failed on MariaDB " + database + ": " + e.getMessage(), e);
        }
    }

    private boolean reachable() {
        try (Connection connection = connect("")) {
            return connection.isValid(2);
        } catch (SQLException e) {
            return false;
        }
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
