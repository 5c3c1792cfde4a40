package io.rollingmigration.testsupport;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A connector configuration from {@code config-examples/}, in the {@code POST /connectors} form
 * ({@code {"name": ..., "config": {...}}}). Tests and the sandbox send the examples unchanged but for the addresses
 * of the databases and secrets, so the examples stay runnable.
 */
public final class ConfigExample {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Where the failsafe configuration of the packaging module points; the sandbox passes it too. */
    public static final String DIRECTORY_PROPERTY = "migration.config-examples.dir";

    private final String name;
    private final Map<String, String> config;

    private ConfigExample(String name, Map<String, String> config) {
        this.name = name;
        this.config = config;
    }

    /** Loads {@code relativePath} under the config-examples directory. */
    public static ConfigExample load(String relativePath) {
        String dir = System.getProperty(DIRECTORY_PROPERTY);
        Path base = dir != null ? Paths.get(dir) : Paths.get("config-examples/src/main/resources");
        return load(base.resolve(relativePath));
    }

    public static ConfigExample load(Path file) {
        try {
            JsonNode root = JSON.readTree(Files.readString(file));
            Map<String, String> config =
                    JSON.convertValue(root.path("config"), new TypeReference<LinkedHashMap<String, String>>() {});
            return new ConfigExample(root.path("name").asText(), config);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read config example " + file, e);
        }
    }

    /** Replaces every occurrence of each key by its value, in every config value (addresses, secret paths). */
    public ConfigExample relocated(Map<String, String> replacements) {
        Map<String, String> relocated = new LinkedHashMap<>();
        config.forEach((key, value) -> {
            String result = value;
            for (Map.Entry<String, String> replacement : replacements.entrySet()) {
                result = result.replace(replacement.getKey(), replacement.getValue());
            }
            relocated.put(key, result);
        });
        return new ConfigExample(name, relocated);
    }

    /** A copy with some keys set (for values that an environment decides, such as a replication factor). */
    public ConfigExample with(Map<String, String> overrides) {
        Map<String, String> copy = new LinkedHashMap<>(config);
        copy.putAll(overrides);
        return new ConfigExample(name, copy);
    }

    public ConfigExample named(String newName) {
        return new ConfigExample(newName, config);
    }

    public String name() {
        return name;
    }

    public Map<String, String> config() {
        return config;
    }

    public String connectorClass() {
        return config.get("connector.class");
    }
}
