package io.rollingmigration.converter;

import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.LongAdder;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.connect.components.Versioned;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaAndValue;
import org.apache.kafka.connect.json.JsonConverter;
import org.apache.kafka.connect.json.JsonConverterConfig;
import org.apache.kafka.connect.storage.Converter;
import org.apache.kafka.connect.storage.HeaderConverter;

/**
 * A drop-in for Kafka's {@code org.apache.kafka.connect.json.JsonConverter}: the same configuration, the same bytes
 * written, the same Connect data and the same errors read, but each schema is parsed and built once. A record whose
 * schema part is the bytes of a schema seen before is read by parsing its payload only; a record is written as the
 * schema's cached bytes followed by the payload streamed out, with no JSON tree in between.
 *
 * <p>Anything off the common path (an envelope with its fields in another order, a value of another JSON type than
 * its schema's, a value the schema refuses, malformed JSON) is handed to a JsonConverter configured alike, so it is
 * answered exactly as the stock converter answers it, dead letter queue routing included.
 */
public class CachedSchemaJsonConverter implements Converter, HeaderConverter, Versioned {

    private static final String VERSION = loadVersion();

    private final JsonConverter reference = new JsonConverter();
    private final LongAdder answeredByReference = new LongAdder();
    private EnvelopeReader reader;
    private EnvelopeWriter writer;

    @Override
    public ConfigDef config() {
        return JsonConverterConfig.configDef();
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        reference.configure(configs, isKey);
        configure(new JsonConverterConfig(withType(configs, isKey)));
    }

    @Override
    public void configure(Map<String, ?> configs) {
        reference.configure(configs);
        configure(new JsonConverterConfig(configs));
    }

    private void configure(JsonConverterConfig config) {
        int cacheSize = config.schemaCacheSize();
        // Read with the settings Kafka's JsonDeserializer uses, so numbers and leading zeros read alike.
        ObjectMapper readMapper = new ObjectMapper()
                .enable(JsonReadFeature.ALLOW_LEADING_ZEROS_FOR_NUMBERS.mappedFeature())
                .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                .setNodeFactory(new JsonNodeFactory(true));
        ObjectMapper writeMapper = new ObjectMapper().setNodeFactory(new JsonNodeFactory(true));
        Schema configuredSchema = null;
        if (config.schemaContent() != null) {
            // The reference has read it already, and refused it if it is not JSON: built by Kafka's code for both.
            try {
                configuredSchema = reference.asConnectSchema(readMapper.readTree(config.schemaContent()));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        reader = new EnvelopeReader(
                readMapper,
                reference,
                new PayloadReader(config.replaceNullWithDefault()),
                config.schemasEnabled(),
                configuredSchema,
                cacheSize);
        writer = new EnvelopeWriter(
                writeMapper,
                reference,
                new PayloadWriter(config.replaceNullWithDefault(), config.decimalFormat()),
                config.schemasEnabled(),
                cacheSize);
    }

    @Override
    public byte[] fromConnectData(String topic, Schema schema, Object value) {
        if (schema == null && value == null) {
            return null;
        }
        try {
            return writer.write(schema, value);
        } catch (RuntimeException | IOException e) {
            answeredByReference.increment();
            return reference.fromConnectData(topic, schema, value);
        }
    }

    @Override
    public SchemaAndValue toConnectData(String topic, byte[] value) {
        if (value == null) {
            return SchemaAndValue.NULL;
        }
        try {
            return reader.read(topic, value);
        } catch (RuntimeException | IOException e) {
            answeredByReference.increment();
            return reference.toConnectData(topic, value);
        }
    }

    @Override
    public byte[] fromConnectHeader(String topic, String headerKey, Schema schema, Object value) {
        return fromConnectData(topic, schema, value);
    }

    @Override
    public SchemaAndValue toConnectHeader(String topic, String headerKey, byte[] value) {
        return toConnectData(topic, value);
    }

    @Override
    public String version() {
        return VERSION;
    }

    @Override
    public void close() {
        Utils.closeQuietly(reference, "reference JSON converter");
    }

    /** How many records Kafka's JsonConverter answered because they were off the fast path (tests watch it). */
    long answeredByReference() {
        return answeredByReference.sum();
    }

    private static Map<String, Object> withType(Map<String, ?> configs, boolean isKey) {
        Map<String, Object> typed = new HashMap<>(configs);
        typed.put(JsonConverterConfig.TYPE_CONFIG, isKey ? "key" : "value");
        return typed;
    }

    private static String loadVersion() {
        try (InputStream in = CachedSchemaJsonConverter.class.getResourceAsStream("converter-version.properties")) {
            if (in == null) {
                throw new IllegalStateException("converter-version.properties is missing from the converter's jar");
            }
            Properties properties = new Properties();
            properties.load(in);
            return properties.getProperty("version");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
