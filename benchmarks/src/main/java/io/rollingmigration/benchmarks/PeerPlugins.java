package io.rollingmigration.benchmarks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * The peers as their releases install them: classes loaded from the jars of an unpacked plugin archive, never from
 * this build's classpath. Kafka's own classes come from the benchmark's classpath (the parent loader), as a worker
 * gives a plugin the framework's, so the peer and we run against the same Connect API.
 */
public final class PeerPlugins {

    /** Debezium's JDBC sink connector, unpacked by the build. */
    public static final Path JDBC_SINK =
            directory("bench.jdbc-plugin.dir", "benchmarks/target/peer-plugins").resolve("debezium-connector-jdbc");
    /** Debezium's PostgreSQL connector, unpacked by the build, for its transforms. */
    public static final Path POSTGRES_CONNECTOR = directory(
                    "bench.peer-transforms.dir", "benchmarks/target/peer-transforms")
            .resolve("debezium-connector-postgres");

    private static final Map<Path, ClassLoader> LOADERS = new ConcurrentHashMap<>();

    private PeerPlugins() {}

    /** A new instance of {@code className} from the plugin, seen through the Connect type it implements. */
    public static <T> T newInstance(Path plugin, String className, Class<? super T> type) {
        try {
            Class<?> loaded = Class.forName(className, true, loader(plugin));
            @SuppressWarnings("unchecked")
            T instance = (T) type.cast(loaded.getConstructor().newInstance());
            return instance;
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("Cannot load " + className + " from " + plugin, e);
        }
    }

    /**
     * Makes the loader of {@code plugin}'s class the thread's context loader, as a worker does around every call
     * into a plugin (Debezium finds its strategies through it), and returns the one to restore.
     */
    public static ClassLoader enter(Object plugin) {
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(plugin.getClass().getClassLoader());
        return previous;
    }

    /** The release of the plugin, as its own jar names it (debezium-connector-jdbc-3.6.0.Final.jar: 3.6.0.Final). */
    public static String release(Path plugin) {
        String prefix = plugin.getFileName() + "-";
        try (Stream<Path> files = Files.list(plugin)) {
            return files.map(f -> f.getFileName().toString())
                    .filter(name -> name.startsWith(prefix) && name.endsWith(".jar"))
                    .map(name -> name.substring(prefix.length(), name.length() - ".jar".length()))
                    .findFirst()
                    .orElse("unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static ClassLoader loader(Path plugin) {
        return LOADERS.computeIfAbsent(plugin, dir -> {
            if (!Files.isDirectory(dir)) {
                throw new IllegalStateException(
                        "Peer plugin " + dir + " is missing: benchmarks/run builds it (mvn package -pl benchmarks)");
            }
            try (Stream<Path> files = Files.list(dir)) {
                List<Path> jars = files.filter(f -> f.toString().endsWith(".jar"))
                        .sorted()
                        .toList();
                URL[] urls = new URL[jars.size()];
                for (int i = 0; i < urls.length; i++) {
                    urls[i] = jars.get(i).toUri().toURL();
                }
                return new URLClassLoader("peer:" + dir.getFileName(), urls, PeerPlugins.class.getClassLoader());
            } catch (MalformedURLException e) {
                throw new IllegalStateException(e);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    private static Path directory(String property, String fallback) {
        return Paths.get(System.getProperty(property, fallback)).toAbsolutePath();
    }
}
