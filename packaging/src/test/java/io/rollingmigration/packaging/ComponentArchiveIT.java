package io.rollingmigration.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.lang.reflect.Modifier;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.common.config.provider.ConfigProvider;
import org.apache.kafka.connect.sink.SinkConnector;
import org.apache.kafka.connect.source.SourceConnector;
import org.apache.kafka.connect.storage.Converter;
import org.apache.kafka.connect.storage.HeaderConverter;
import org.apache.kafka.connect.transforms.Transformation;
import org.apache.kafka.connect.transforms.predicates.Predicate;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What an operator unpacks: the component layout, the manifest, and ServiceLoader manifests for every plugin. */
class ComponentArchiveIT {

    /** Each role has its own ServiceLoader manifest, named after the role's interface or base class. */
    private static final List<Class<?>> PLUGIN_ROLES = List.of(
            SinkConnector.class,
            SourceConnector.class,
            Transformation.class,
            Predicate.class,
            Converter.class,
            HeaderConverter.class,
            ConfigProvider.class,
            org.apache.kafka.connect.rest.ConnectRestExtension.class);

    @TempDir
    static Path installed;

    @BeforeAll
    static void unpack() {
        ComponentArchives.installInto(installed);
    }

    @Test
    void eachPluginHasOneArchiveInTheComponentLayout() throws IOException {
        assertEquals(
                ComponentArchives.COMPONENTS.size(),
                ComponentArchives.archives().size(),
                "archives: " + ComponentArchives.archives());
        for (Path component : components()) {
            assertTrue(Files.isRegularFile(component.resolve("manifest.json")), component + " has manifest.json");
            assertTrue(Files.isRegularFile(component.resolve("doc/README.md")), component + " has doc/README.md");
            assertTrue(Files.isRegularFile(component.resolve("doc/LICENSE")), component + " has doc/LICENSE");
            assertTrue(Files.isDirectory(component.resolve("etc")), component + " has etc/");
            assertFalse(jars(component).isEmpty(), component + " has lib/*.jar");
        }
    }

    @Test
    void manifestsDescribeTheComponent() throws IOException {
        for (Path component : components()) {
            JsonNode manifest = new ObjectMapper()
                    .readTree(component.resolve("manifest.json").toFile());
            String dirName = component.getFileName().toString();
            assertTrue(
                    dirName.startsWith(
                            "rollingmigration-" + manifest.path("name").asText() + "-"),
                    dirName + " is named owner-name-version");
            for (String field : List.of(
                    "name",
                    "version",
                    "title",
                    "description",
                    "owner",
                    "component_types",
                    "license",
                    "supported_versions",
                    "documentation_url")) {
                assertFalse(manifest.path(field).isMissingNode(), component + " manifest has " + field);
            }
            assertFalse(manifest.path("version").asText().contains("${"), "version is filtered in");
            assertTrue(
                    Files.isRegularFile(
                            component.resolve(manifest.path("documentation_url").asText())),
                    "documentation_url points at a file in the archive");
        }
    }

    @Test
    void libraryHoldsNoKafkaOrConnectApiJars() throws IOException {
        for (Path component : components()) {
            for (Path jar : jars(component)) {
                String name = jar.getFileName().toString();
                assertFalse(
                        name.startsWith("connect-api")
                                || name.startsWith("kafka-clients")
                                || name.startsWith("connect-runtime")
                                || name.startsWith("connect-transforms")
                                || name.startsWith("slf4j-api"),
                        component + " must not ship " + name);
            }
        }
    }

    @Test
    void everyPluginClassIsListedForServiceLoading() throws Exception {
        for (Path component : components()) {
            List<Path> jars = jars(component);
            URL[] urls = new URL[jars.size()];
            for (int i = 0; i < jars.size(); i++) {
                urls[i] = jars.get(i).toUri().toURL();
            }
            try (URLClassLoader loader = new URLClassLoader(urls, getClass().getClassLoader())) {
                Path ours = jars.stream()
                        .filter(j -> j.getFileName().toString().startsWith("connect-")
                                && !j.getFileName().toString().startsWith("connect-common"))
                        .findFirst()
                        .orElseThrow();
                Set<String> pluginClasses = pluginClassesIn(ours, loader);
                assertFalse(pluginClasses.isEmpty(), ours + " holds at least one plugin class");
                for (Class<?> role : PLUGIN_ROLES) {
                    Set<String> listed = listed(loader, role);
                    for (String plugin : pluginClasses) {
                        if (role.isAssignableFrom(Class.forName(plugin, false, loader))) {
                            assertTrue(
                                    listed.contains(plugin),
                                    component + ": " + plugin + " is not listed in " + "META-INF/services/"
                                            + role.getName());
                        }
                    }
                }
            }
        }
    }

    private static Set<String> listed(URLClassLoader loader, Class<?> role) throws IOException {
        Set<String> listed = new HashSet<>();
        Enumeration<URL> services = loader.findResources("META-INF/services/" + role.getName());
        while (services.hasMoreElements()) {
            try (var in = services.nextElement().openStream()) {
                new String(in.readAllBytes(), StandardCharsets.UTF_8)
                        .lines()
                        .map(l -> l.replaceAll("#.*", "").trim())
                        .filter(l -> !l.isEmpty())
                        .forEach(listed::add);
            }
        }
        return listed;
    }

    private static Set<String> pluginClassesIn(Path jar, ClassLoader loader) throws IOException {
        Set<String> plugins = new HashSet<>();
        try (JarFile file = new JarFile(jar.toFile())) {
            for (JarEntry entry : (Iterable<JarEntry>) file.stream()::iterator) {
                String name = entry.getName();
                if (!name.endsWith(".class") || name.contains("-")) {
                    continue;
                }
                String className =
                        name.substring(0, name.length() - ".class".length()).replace('/', '.');
                Class<?> type;
                try {
                    type = Class.forName(className, false, loader);
                } catch (ClassNotFoundException | LinkageError e) {
                    continue;
                }
                boolean concrete = !type.isInterface()
                        && !Modifier.isAbstract(type.getModifiers())
                        && Modifier.isPublic(type.getModifiers());
                if (concrete && PLUGIN_ROLES.stream().anyMatch(role -> role.isAssignableFrom(type))) {
                    plugins.add(className);
                }
            }
        }
        return plugins;
    }

    private static List<Path> components() throws IOException {
        try (Stream<Path> dirs = Files.list(installed)) {
            List<Path> found = dirs.filter(Files::isDirectory).sorted().collect(Collectors.toList());
            assertEquals(ComponentArchives.COMPONENTS.size(), found.size(), "unpacked components: " + found);
            return found;
        }
    }

    private static List<Path> jars(Path component) throws IOException {
        Path lib = component.resolve("lib");
        if (!Files.isDirectory(lib)) {
            return new ArrayList<>();
        }
        try (Stream<Path> files = Files.list(lib)) {
            return files.filter(f -> f.toString().endsWith(".jar")).sorted().collect(Collectors.toList());
        }
    }
}
