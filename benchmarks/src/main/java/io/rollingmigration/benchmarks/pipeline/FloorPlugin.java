package io.rollingmigration.benchmarks.pipeline;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.apache.kafka.connect.sink.SinkConnector;

/**
 * Installs {@link DiscardingSinkConnector} as a plugin: a jar with its classes and its ServiceLoader manifest in a
 * directory of its own, for plugin.path (the worker loads plugins from there only, as a production worker does).
 */
final class FloorPlugin {

    private FloorPlugin() {}

    /** Returns the plugin.path entry that holds the plugin. */
    static Path install(Path pluginPath) {
        List<Class<?>> classes = List.of(DiscardingSinkConnector.class, DiscardingSinkConnector.Discard.class);
        Path jar = pluginPath.resolve("discarding-sink").resolve("discarding-sink.jar");
        try {
            Files.createDirectories(jar.getParent());
            try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
                for (Class<?> type : classes) {
                    String entry = type.getName().replace('.', '/') + ".class";
                    out.putNextEntry(new JarEntry(entry));
                    try (InputStream in = FloorPlugin.class.getClassLoader().getResourceAsStream(entry)) {
                        in.transferTo(out);
                    }
                    out.closeEntry();
                }
                out.putNextEntry(new JarEntry("META-INF/services/" + SinkConnector.class.getName()));
                out.write((DiscardingSinkConnector.class.getName() + "\n").getBytes(StandardCharsets.UTF_8));
                out.closeEntry();
            }
            return pluginPath;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
