package io.rollingmigration.testsupport;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A throwaway MariaDB server process of this test run, set up as a legacy database that Debezium can stream from: binary log
 * in ROW format with full row images, GTIDs, on a free port in a temporary directory, removed when it stops (or, if
 * its JVM was killed, by the next start). The machine's shared MariaDB is never reconfigured.
 */
final class PrivateMariaDb {

    private static final Path SERVER = Paths.get("/usr/sbin/mariadbd");
    private static final Path INSTALL = Paths.get("/usr/bin/mariadb-install-db");
    /** The OS user Debian's MariaDB package creates; the server drops to it when started as root. */
    private static final String SERVICE_USER = "mysql";

    private static final Path SERVERS = Paths.get(System.getProperty("java.io.tmpdir"), "rolling-migration-mariadb");
    private static final String OWNER_FILE = "owner.pid";

    private final Path base;
    private final int port;
    private final Process server;

    private PrivateMariaDb(Path base, int port, Process server) {
        this.base = base;
        this.port = port;
        this.server = server;
    }

    static boolean installed() {
        return Files.isExecutable(SERVER) && Files.isExecutable(INSTALL);
    }

    static PrivateMariaDb start() {
        try {
            sweepAbandoned();
            Files.createDirectories(SERVERS);
            Files.setPosixFilePermissions(SERVERS, PosixFilePermissions.fromString("rwxrwxrwx"));
            Path base = Files.createTempDirectory(SERVERS, "server-");
            Files.setPosixFilePermissions(base, PosixFilePermissions.fromString("rwxrwxrwx"));
            Files.writeString(
                    base.resolve(OWNER_FILE),
                    Long.toString(ProcessHandle.current().pid()));
            Path data = base.resolve("data");
            List<String> install = new ArrayList<>(List.of(
                    INSTALL.toString(),
                    "--no-defaults",
                    "--datadir=" + data,
                    "--auth-root-authentication-method=normal",
                    "--skip-test-db"));
            if (ProcessRunner.isRoot()) {
                install.add("--user=" + SERVICE_USER);
            }
            ProcessRunner.run(install, base);
            int port = PostgresFixture.freePort();
            List<String> command = new ArrayList<>(List.of(
                    SERVER.toString(),
                    "--no-defaults",
                    "--datadir=" + data,
                    "--port=" + port,
                    "--bind-address=127.0.0.1",
                    "--socket=" + base.resolve("mariadb.sock"),
                    "--pid-file=" + base.resolve("mariadb.pid"),
                    "--skip-name-resolve",
                    // What Debezium's MariaDB connector needs of a legacy server.
                    "--server-id=" + (1000 + port % 1000),
                    "--log-bin=" + data.resolve("binlog"),
                    "--binlog-format=ROW",
                    "--binlog-row-image=FULL",
                    "--log-slave-updates",
                    // A throwaway server: durability buys nothing and costs test time.
                    "--innodb-flush-log-at-trx-commit=2",
                    "--sync-binlog=0",
                    "--innodb-buffer-pool-size=64M"));
            if (ProcessRunner.isRoot()) {
                command.add("--user=" + SERVICE_USER);
            }
            Process server = new ProcessBuilder(command)
                    .directory(base.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(base.resolve("server.log").toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .start();
            PrivateMariaDb mariadb = new PrivateMariaDb(base, port, server);
            Runtime.getRuntime().addShutdownHook(new Thread(mariadb::stop, "mariadb-legacy-cleanup"));
            return mariadb;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start a private MariaDB server", e);
        }
    }

    int port() {
        return port;
    }

    /**
     * True while the server process runs.
     *
     * @throws IllegalStateException with the server's log if it exited
     */
    boolean running() {
        if (server.isAlive()) {
            return true;
        }
        String log;
        try {
            log = Files.readString(base.resolve("server.log"));
        } catch (IOException e) {
            log = e.getMessage();
        }
        throw new IllegalStateException("The private MariaDB exited:\n" + log);
    }

    synchronized void stop() {
        if (server.isAlive()) {
            server.destroy();
            try {
                if (!server.waitFor(30, TimeUnit.SECONDS)) {
                    server.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        PostgresFixture.deleteTree(base);
    }

    /** Stops and deletes servers whose owning JVM is gone (killed before its shutdown hook ran). */
    private static void sweepAbandoned() {
        if (!Files.isDirectory(SERVERS)) {
            return;
        }
        try (Stream<Path> dirs = Files.list(SERVERS)) {
            dirs.filter(Files::isDirectory).forEach(dir -> {
                if (alive(dir.resolve(OWNER_FILE))) {
                    return;
                }
                pid(dir.resolve("mariadb.pid")).flatMap(ProcessHandle::of).ifPresent(server -> {
                    server.destroy();
                    server.onExit()
                            .orTimeout(30, TimeUnit.SECONDS)
                            .exceptionally(e -> null)
                            .join();
                });
                PostgresFixture.deleteTree(dir);
            });
        } catch (IOException e) {
            System.err.println("MariaDB fixture: cannot sweep " + SERVERS + ": " + e.getMessage());
        }
    }

    private static boolean alive(Path pidFile) {
        return pid(pidFile)
                .flatMap(ProcessHandle::of)
                .map(ProcessHandle::isAlive)
                .orElse(false);
    }

    private static Optional<Long> pid(Path pidFile) {
        try {
            return Optional.of(Long.parseLong(Files.readString(pidFile).trim()));
        } catch (IOException | NumberFormatException e) {
            // No readable pid: debris of a start that never finished.
            return Optional.empty();
        }
    }
}
