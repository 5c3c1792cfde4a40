package io.rollingmigration.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;
import org.postgresql.Driver;

/**
 * A real PostgreSQL server for tests: either a private, throwaway cluster started from the machine's PostgreSQL
 * binaries with {@code wal_level=logical} (the default), or an existing server named by the environment.
 *
 * <p>One server serves the whole JVM ({@link #shared()}); tests isolate themselves by database or table names. The
 * private cluster is stopped and deleted by a shutdown hook, and clusters left behind by a JVM that was killed are
 * swept away the next time a fixture starts.
 *
 * <p>Environment:
 * <ul>
 *   <li>{@code MIGRATION_TEST_PG_HOST}, {@code MIGRATION_TEST_PG_PORT}, {@code MIGRATION_TEST_PG_USER},
 *   {@code MIGRATION_TEST_PG_PASSWORD}: use this existing server (it needs {@code wal_level=logical} for Debezium
 *   tests) instead of starting one.</li>
 *   <li>{@code PG_BIN_DIR}: where {@code initdb} and {@code pg_ctl} are; default: the newest
 *   {@code /usr/lib/postgresql/<version>/bin}.</li>
 * </ul>
 */
public final class PostgresFixture implements AutoCloseable {

    public static final String LEGACY = "legacy";
    public static final String TARGET = "target";

    private static final Path CLUSTERS = Paths.get(System.getProperty("java.io.tmpdir"), "rolling-migration-pg");
    private static final String OWNER_FILE = "owner.pid";
    private static PostgresFixture shared;

    private final String host;
    private final int port;
    private final String user;
    private final String password;
    private final PrivateCluster cluster;

    private PostgresFixture(String host, int port, String user, String password, PrivateCluster cluster) {
        this.host = host;
        this.port = port;
        this.user = user;
        this.password = password;
        this.cluster = cluster;
    }

    /** The JVM-wide server, started on first use, with databases {@code legacy} and {@code target}. */
    public static synchronized PostgresFixture shared() {
        if (shared == null) {
            shared = start();
            shared.createDatabase(LEGACY);
            shared.createDatabase(TARGET);
        }
        return shared;
    }

    /**
     * A server owned by the caller, who must {@link #close()} it; for programs (the sandbox) that stop their parts
     * in order. A cluster left behind by a crash is swept by the next fixture that starts.
     */
    public static PostgresFixture startOwned() {
        PostgresFixture fixture = start(false);
        fixture.createDatabase(LEGACY);
        fixture.createDatabase(TARGET);
        return fixture;
    }

    private static PostgresFixture start() {
        return start(true);
    }

    private static PostgresFixture start(boolean removeOnExit) {
        String existing = System.getenv("MIGRATION_TEST_PG_HOST");
        if (existing != null && !existing.isBlank()) {
            return new PostgresFixture(
                    existing,
                    Integer.parseInt(envOr("MIGRATION_TEST_PG_PORT", "5432")),
                    envOr("MIGRATION_TEST_PG_USER", "postgres"),
                    envOr("MIGRATION_TEST_PG_PASSWORD", ""),
                    null);
        }
        PrivateCluster cluster = PrivateCluster.start(removeOnExit);
        return new PostgresFixture("127.0.0.1", cluster.port, "postgres", "", cluster);
    }

    public String host() {
        return host;
    }

    public int port() {
        return port;
    }

    public String user() {
        return user;
    }

    public String password() {
        return password;
    }

    public String jdbcUrl(String database) {
        return "jdbc:postgresql://" + host + ":" + port + "/" + database;
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

    /** Runs statements in autocommit mode. */
    public void execute(String database, String... statements) {
        try (Connection connection = connect(database);
                Statement statement = connection.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("SQL failed on " + database + ": " + e.getMessage(), e);
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
            throw new IllegalStateException("Query failed on " + database + ": " + e.getMessage(), e);
        }
    }

    /** Creates the database unless it exists. */
    public void createDatabase(String name) {
        boolean exists = !query(
                        "postgres", "SELECT 1 FROM pg_database WHERE datname = '" + name.replace("'", "''") + "'")
                .isEmpty();
        if (!exists) {
            execute("postgres", "CREATE DATABASE \"" + name.replace("\"", "\"\"") + "\"");
        }
    }

    /** True if this fixture runs its own cluster, which {@link #stopServer()} and {@link #startServer()} control. */
    public boolean isPrivate() {
        return cluster != null;
    }

    /** Stops the private server, as in a database outage. */
    public void stopServer() {
        requirePrivate().stop("fast");
    }

    /** Starts the private server again on the same port with the same data. */
    public void startServer() {
        requirePrivate().startServer();
    }

    /**
     * Freezes the private server (SIGSTOP to the postmaster and every backend): a database that hangs, accepting
     * connections and bytes but answering nothing, rather than one that refuses them.
     */
    public void freezeServer() {
        requirePrivate().signal("STOP");
    }

    /** Lets a frozen server go on (SIGCONT). */
    public void thawServer() {
        requirePrivate().signal("CONT");
    }

    /** Stops and deletes a private cluster; an existing server is left alone. */
    @Override
    public void close() {
        if (cluster != null) {
            cluster.destroy();
        }
    }

    private PrivateCluster requirePrivate() {
        if (cluster == null) {
            throw new IllegalStateException(
                    "This test needs a private PostgreSQL cluster; unset MIGRATION_TEST_PG_HOST");
        }
        return cluster;
    }

    private static String envOr(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }

    /** A cluster made by {@code initdb} in a temporary directory and run by {@code pg_ctl}. */
    private static final class PrivateCluster {
        private final Path base;
        private final Path data;
        private final Path bin;
        private final int port;

        private PrivateCluster(Path base, Path bin, int port) {
            this.base = base;
            this.data = base.resolve("data");
            this.bin = bin;
            this.port = port;
        }

        static PrivateCluster start(boolean removeOnExit) {
            Path bin = binDir();
            sweepAbandoned(bin);
            try {
                Files.createDirectories(CLUSTERS);
                CLUSTERS.toFile().setWritable(true, false);
                CLUSTERS.toFile().setExecutable(true, false);
                Path base = Files.createTempDirectory(CLUSTERS, "cluster-");
                Files.writeString(
                        base.resolve(OWNER_FILE),
                        Long.toString(ProcessHandle.current().pid()));
                PrivateCluster cluster = new PrivateCluster(base, bin, freePort());
                ProcessRunner.giveToServiceUser(base);
                if (removeOnExit) {
                    Runtime.getRuntime().addShutdownHook(new Thread(cluster::destroy, "postgres-fixture-cleanup"));
                }
                cluster.initdb();
                cluster.startServer();
                return cluster;
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot prepare a PostgreSQL cluster directory", e);
            }
        }

        private void initdb() {
            // ICU's linguistic default collation sorts text differently from byte order, as production databases
            // often do; code that forgets COLLATE "C" fails here instead of in production.
            ProcessRunner.runAsServiceUser(
                    List.of(
                            bin.resolve("initdb").toString(),
                            "-D",
                            data.toString(),
                            "-U",
                            "postgres",
                            "-A",
                            "trust",
                            "-E",
                            "UTF8",
                            "--locale=C.UTF-8",
                            "--locale-provider=icu",
                            "--icu-locale=en-US"),
                    base);
        }

        /** Sends a signal to the postmaster and all its children. */
        void signal(String name) {
            try {
                String pid = Files.readAllLines(data.resolve("postmaster.pid"))
                        .get(0)
                        .trim();
                Process children = new ProcessBuilder("pgrep", "-P", pid)
                        .redirectErrorStream(true)
                        .start();
                List<String> pids = new ArrayList<>(List.of(pid));
                pids.addAll(new String(children.getInputStream().readAllBytes())
                        .lines()
                        .map(String::trim)
                        .filter(l -> !l.isEmpty())
                        .toList());
                children.waitFor();
                List<String> command = new ArrayList<>(List.of("kill", "-" + name));
                command.addAll(pids);
                Process kill =
                        new ProcessBuilder(command).redirectErrorStream(true).start();
                if (kill.waitFor() != 0) {
                    throw new IllegalStateException("kill -" + name + " failed: "
                            + new String(kill.getInputStream().readAllBytes()));
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }

        void startServer() {
            String options = String.join(
                    " ",
                    "-p",
                    Integer.toString(port),
                    "-c",
                    "listen_addresses=127.0.0.1",
                    "-c",
                    "unix_socket_directories=" + base,
                    "-c",
                    "wal_level=logical",
                    "-c",
                    "max_wal_senders=20",
                    "-c",
                    "max_replication_slots=20",
                    "-c",
                    "max_connections=200",
                    // A throwaway cluster: durability buys nothing and costs test time.
                    "-c",
                    "fsync=off",
                    "-c",
                    "synchronous_commit=off",
                    "-c",
                    "full_page_writes=off");
            ProcessRunner.runAsServiceUser(
                    List.of(
                            bin.resolve("pg_ctl").toString(),
                            "-D",
                            data.toString(),
                            "-l",
                            base.resolve("postgres.log").toString(),
                            "-w",
                            "-t",
                            "60",
                            "-o",
                            options,
                            "start"),
                    base);
        }

        void stop(String mode) {
            ProcessRunner.runAsServiceUser(
                    List.of(
                            bin.resolve("pg_ctl").toString(),
                            "-D",
                            data.toString(),
                            "-m",
                            mode,
                            "-w",
                            "-t",
                            "60",
                            "stop"),
                    base);
        }

        synchronized void destroy() {
            try {
                if (Files.exists(data.resolve("postmaster.pid"))) {
                    stop("immediate");
                }
            } catch (RuntimeException e) {
                System.err.println("PostgreSQL fixture: could not stop " + data + ": " + e.getMessage());
            }
            deleteTree(base);
        }

        /** Stops and deletes clusters whose owning JVM is gone (killed before its shutdown hook ran). */
        private static void sweepAbandoned(Path bin) {
            if (!Files.isDirectory(CLUSTERS)) {
                return;
            }
            try (Stream<Path> dirs = Files.list(CLUSTERS)) {
                dirs.filter(Files::isDirectory).forEach(dir -> {
                    Path owner = dir.resolve(OWNER_FILE);
                    try {
                        long pid = Long.parseLong(Files.readString(owner).trim());
                        if (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
                            return;
                        }
                    } catch (IOException | NumberFormatException e) {
                        // No readable owner: the directory is debris of a start that never finished.
                    }
                    new PrivateCluster(dir, bin, 0).destroy();
                });
            } catch (IOException e) {
                System.err.println("PostgreSQL fixture: cannot sweep " + CLUSTERS + ": " + e.getMessage());
            }
        }

        private static Path binDir() {
            String configured = System.getenv("PG_BIN_DIR");
            if (configured != null && !configured.isBlank()) {
                return Paths.get(configured);
            }
            Path root = Paths.get("/usr/lib/postgresql");
            try (Stream<Path> versions = Files.list(root)) {
                return versions.filter(v -> Files.isExecutable(v.resolve("bin/initdb")))
                        .max(Comparator.comparingInt(
                                v -> Integer.parseInt(v.getFileName().toString().replaceAll("\\D.*", ""))))
                        .map(v -> v.resolve("bin"))
                        .orElseThrow(() -> new IllegalStateException("No PostgreSQL server binaries under " + root
                                + "; install postgresql (15+) or set PG_BIN_DIR"));
            } catch (IOException e) {
                throw new IllegalStateException(
                        "No PostgreSQL server binaries under " + root + "; install postgresql (15+) or set PG_BIN_DIR",
                        e);
            }
        }
    }

    /** A TCP port free on this machine now, for a private server to listen on. */
    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        }
    }

    static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            System.err.println("Cannot delete " + root + ": " + e.getMessage());
        }
    }
}
