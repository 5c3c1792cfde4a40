package io.rollingmigration.packaging;

import io.rollingmigration.testsupport.ConnectClusterFixture;
import io.rollingmigration.testsupport.SkeletonPipeline;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/** The component archives the build produced, and a way to install them as an operator would: unzip them. */
final class ComponentArchives {

    static final List<String> COMPONENTS = List.of(
            "connect-smt", "connect-sink", "connect-reconcile-source", "connect-dashboard", "connect-converter");

    private ComponentArchives() {}

    static Path componentsDir() {
        return Paths.get(required("migration.components.dir"));
    }

    static Path peerPluginsDir() {
        return Paths.get(required("migration.peer-plugins.dir"));
    }

    static Path pluginsDir() {
        return Paths.get(required("migration.plugins.dir"));
    }

    static List<Path> archives() {
        try (Stream<Path> files = Files.list(componentsDir())) {
            return files.filter(f -> f.toString().endsWith(".zip")).sorted().collect(Collectors.toList());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Unzips every component archive into a fresh directory, which then serves as a {@code plugin.path} entry. */
    static Path installInto(Path pluginPath) {
        for (Path archive : archives()) {
            unzip(archive, pluginPath);
        }
        return pluginPath;
    }

    /**
     * A Connect cluster as an operator sets one up: the archives unzipped onto its plugin.path next to the Debezium
     * connector, config providers for secrets and specs.
     */
    static ConnectClusterFixture startCluster(Path work) throws IOException {
        return startCluster(work, builder -> builder);
    }

    /** The same cluster, adjusted first (more workers, worker settings). */
    static ConnectClusterFixture startCluster(Path work, UnaryOperator<ConnectClusterFixture.Builder> adjust)
            throws IOException {
        Path pluginPath = installInto(Files.createDirectories(work.resolve("plugins")));
        return adjust.apply(SkeletonPipeline.withSecretsProvider(
                        ConnectClusterFixture.builder().pluginPath(pluginPath).pluginPath(peerPluginsDir())))
                .start();
    }

    static void unzip(Path archive, Path destination) {
        try (InputStream in = Files.newInputStream(archive);
                ZipInputStream zip = new ZipInputStream(in)) {
            ZipEntry entry;
            while ((entry = zip.getNextEntry()) != null) {
                Path target = destination.resolve(entry.getName()).normalize();
                if (!target.startsWith(destination)) {
                    throw new IllegalStateException("Archive entry escapes the destination: " + entry.getName());
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(target);
                } else {
                    Files.createDirectories(target.getParent());
                    Files.copy(zip, target);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot unzip " + archive, e);
        }
    }

    private static String required(String property) {
        String value = System.getProperty(property);
        if (value == null) {
            throw new IllegalStateException("System property " + property + " is not set; run through Maven "
                    + "(mvn verify), which packages the plugins first");
        }
        return value;
    }
}
