package io.rollingmigration.testsupport;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.UserPrincipal;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Runs the database server tools. PostgreSQL's {@code initdb} and {@code pg_ctl} refuse to run as root, so as root
 * they run as the {@code postgres} OS user, and the directories they use are given to that user.
 */
final class ProcessRunner {

    static final String SERVICE_USER = "postgres";

    private ProcessRunner() {}

    static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    static void runAsServiceUser(List<String> command, Path workDir) {
        List<String> full = new ArrayList<>();
        if (isRoot()) {
            full.addAll(List.of("runuser", "-u", SERVICE_USER, "--"));
        }
        full.addAll(command);
        run(full, workDir);
    }

    static void run(List<String> command, Path workDir) {
        try {
            // Output goes to a file, not a pipe: a server that the tool leaves running must not hold our pipe open.
            Path log = Files.createTempFile("tool-", ".log");
            Process process = new ProcessBuilder(command)
                    .directory(workDir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .start();
            boolean finished = process.waitFor(120, TimeUnit.SECONDS);
            String output = Files.readString(log, StandardCharsets.UTF_8);
            Files.deleteIfExists(log);
            if (!finished) {
                process.destroyForcibly();
                throw new IllegalStateException("Timed out: " + String.join(" ", command) + "\n" + output);
            }
            if (process.exitValue() != 0) {
                throw new IllegalStateException(
                        "Failed (exit " + process.exitValue() + "): " + String.join(" ", command) + "\n" + output);
            }
        } catch (IOException e) {
            throw new IllegalStateException("Cannot run " + command.get(0) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while running " + command.get(0), e);
        }
    }

    /** As root, hands the directory tree to the service user, which the server tools run as. */
    static void giveToServiceUser(Path dir) throws IOException {
        if (!isRoot()) {
            return;
        }
        UserPrincipalLookupService lookup = dir.getFileSystem().getUserPrincipalLookupService();
        UserPrincipal owner = lookup.lookupPrincipalByName(SERVICE_USER);
        GroupPrincipal group = lookup.lookupPrincipalByGroupName(SERVICE_USER);
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : (Iterable<Path>) paths::iterator) {
                PosixFileAttributeView view = Files.getFileAttributeView(path, PosixFileAttributeView.class);
                view.setOwner(owner);
                view.setGroup(group);
            }
        }
    }
}
