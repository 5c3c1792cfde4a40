package io.rollingmigration.packaging;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rollingmigration.testsupport.TopicReader.TopicRecord;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.connect.data.SchemaAndValue;
import org.apache.kafka.connect.json.JsonConverter;
import org.apache.kafka.connect.storage.Converter;

/**
 * A topic replayed through both converters: Kafka's JsonConverter and ours, loaded from its packaged plugin directory
 * as a worker loads it. Both read each record's key and value to the same Connect data, and both write that data
 * back to exactly the record's bytes, so a topic either one wrote replays identically through the other.
 */
final class ConverterReplay {

    private static final String CONVERTER = "io.rollingmigration.converter.CachedSchemaJsonConverter";

    private ConverterReplay() {}

    /** Returns how many records (with a non-null value) were replayed. */
    static int assertReplaysAlike(String topic, List<TopicRecord> records) {
        try (URLClassLoader plugin = packagedPlugin()) {
            Converter stockKeys = new JsonConverter();
            Converter stockValues = new JsonConverter();
            Converter oursKeys = newConverter(plugin);
            Converter oursValues = newConverter(plugin);
            stockKeys.configure(Map.of(), true);
            oursKeys.configure(Map.of(), true);
            stockValues.configure(Map.of(), false);
            oursValues.configure(Map.of(), false);
            int values = 0;
            for (TopicRecord record : records) {
                ConsumerRecord<byte[], byte[]> raw = record.raw();
                assertReplaysAlike(topic, raw.key(), stockKeys, oursKeys);
                assertReplaysAlike(topic, raw.value(), stockValues, oursValues);
                if (raw.value() != null) values++;
            }
            return values;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void assertReplaysAlike(String topic, byte[] bytes, Converter stock, Converter ours) {
        SchemaAndValue byStock = stock.toConnectData(topic, bytes);
        SchemaAndValue byOurs = ours.toConnectData(topic, bytes);
        assertEquals(byStock, byOurs, "both converters read " + (bytes == null ? "a tombstone" : new String(bytes)));
        if (bytes != null) {
            assertArrayEquals(bytes, stock.fromConnectData(topic, byStock.schema(), byStock.value()));
            assertArrayEquals(bytes, ours.fromConnectData(topic, byOurs.schema(), byOurs.value()));
        }
    }

    /** Our converter's plugin directory as a class loader over the test's Connect and Jackson, as a worker's would be. */
    private static URLClassLoader packagedPlugin() throws IOException {
        try (Stream<Path> components = Files.list(ComponentArchives.pluginsDir())) {
            Path component = components
                    .filter(p -> p.getFileName().toString().startsWith("rollingmigration-connect-converter-"))
                    .findFirst()
                    .orElseThrow(() ->
                            new IllegalStateException("no packaged converter in " + ComponentArchives.pluginsDir()));
            URL[] jars;
            try (Stream<Path> lib = Files.list(component.resolve("lib"))) {
                jars = lib.map(ConverterReplay::url).toArray(URL[]::new);
            }
            assertTrue(jars.length > 0, component + " has jars");
            return new URLClassLoader(jars, ConverterReplay.class.getClassLoader());
        }
    }

    private static Converter newConverter(ClassLoader plugin) {
        try {
            return (Converter)
                    Class.forName(CONVERTER, true, plugin).getConstructor().newInstance();
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    private static URL url(Path jar) {
        try {
            return jar.toUri().toURL();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
