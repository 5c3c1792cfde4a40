package io.rollingmigration.connect.common;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** The one source of {@code version()} for every plugin: the Maven project version, filtered in at build time. */
public final class PluginVersion {

    private static final String VERSION = load();

    private PluginVersion() {}

    public static String get() {
        return VERSION;
    }

    private static String load() {
        try (InputStream in = PluginVersion.class.getResourceAsStream("plugin-version.properties")) {
            if (in == null) {
                throw new IllegalStateException("plugin-version.properties is missing from the connect-common jar");
            }
            Properties properties = new Properties();
            properties.load(in);
            return properties.getProperty("version");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
