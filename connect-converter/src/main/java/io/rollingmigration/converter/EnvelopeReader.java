package io.rollingmigration.converter;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.io.IOException;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaAndValue;
import org.apache.kafka.connect.json.JsonConverter;

/**
 * Reads records in JsonConverter's layout. With schemas enabled, a record is {@code {"schema":S,"payload":P}}: S is
 * recognised by its bytes (the same bytes as the topic's last record, or any cached by {@code schemas.cache.size}),
 * so it is parsed and built into a Connect schema only the first time; P is read token by token.
 */
final class EnvelopeReader {

    /** A schema as it was written and the Connect schema it stands for (absent for {@code "schema":null}). */
    private record KnownSchema(SchemaBytes bytes, Optional<Schema> schema) {}

    private final ObjectMapper mapper;
    private final JsonFactory factory;
    private final JsonConverter reference;
    private final PayloadReader payloads;
    private final boolean schemasEnabled;
    private final Schema configuredSchema;
    private final Cache<SchemaBytes, KnownSchema> schemas;
    private final ConcurrentHashMap<String, KnownSchema> lastByTopic = new ConcurrentHashMap<>();
    private final int cacheSize;

    EnvelopeReader(
            ObjectMapper mapper,
            JsonConverter reference,
            PayloadReader payloads,
            boolean schemasEnabled,
            Schema configuredSchema,
            int cacheSize) {
        this.mapper = mapper;
        this.factory = mapper.getFactory();
        this.reference = reference;
        this.payloads = payloads;
        this.schemasEnabled = schemasEnabled;
        this.configuredSchema = configuredSchema;
        this.cacheSize = cacheSize;
        this.schemas = Caffeine.newBuilder().maximumSize(cacheSize).build();
    }

    SchemaAndValue read(String topic, byte[] record) throws IOException {
        if (!schemasEnabled) {
            return new SchemaAndValue(null, whole(record, null));
        }
        if (configuredSchema != null) {
            return new SchemaAndValue(configuredSchema, whole(record, configuredSchema));
        }
        KnownSchema last = topic == null ? null : lastByTopic.get(topic);
        if (last != null && startsWithSchemaOf(record, last)) {
            int payloadAt = Envelope.SCHEMA_FIELD.length + last.bytes().length() + Envelope.PAYLOAD_FIELD.length;
            // A parser started at the payload sees it as a whole document: that works for an object or an array,
            // which end at their closing bracket; a scalar is read with its envelope below.
            if (payloadAt < record.length && (record[payloadAt] == '{' || record[payloadAt] == '[')) {
                return payloadOnly(record, payloadAt, last.schema().orElse(null));
            }
        }
        return envelope(topic, record);
    }

    private SchemaAndValue payloadOnly(byte[] record, int payloadAt, Schema schema) throws IOException {
        try (JsonParser parser = factory.createParser(record, payloadAt, record.length - payloadAt)) {
            parser.nextToken();
            Object value = payloads.read(parser, schema);
            int after = payloadAt + (int) parser.currentLocation().getByteOffset();
            // The envelope must close right after the payload, as JsonConverter's own records do.
            while (after < record.length && isJsonWhitespace(record[after])) {
                after++;
            }
            if (after >= record.length || record[after] != '}') throw OffThePath.INSTANCE;
            return new SchemaAndValue(schema, value);
        }
    }

    private static boolean isJsonWhitespace(byte b) {
        return b == ' ' || b == '\t' || b == '\n' || b == '\r';
    }

    /** A record that is one value, read with the given schema (or none). */
    private Object whole(byte[] record, Schema schema) throws IOException {
        try (JsonParser parser = factory.createParser(record)) {
            if (parser.nextToken() == null) throw OffThePath.INSTANCE;
            return payloads.read(parser, schema);
        }
    }

    private SchemaAndValue envelope(String topic, byte[] record) throws IOException {
        try (JsonParser parser = factory.createParser(record)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) throw OffThePath.INSTANCE;
            if (!"schema".equals(parser.nextFieldName())) throw OffThePath.INSTANCE;
            KnownSchema known;
            int schemaStart;
            int schemaEnd;
            JsonToken token = parser.nextToken();
            if (token == JsonToken.START_OBJECT) {
                schemaStart = (int) parser.currentTokenLocation().getByteOffset();
                parser.skipChildren();
                schemaEnd = (int) parser.currentTokenLocation().getByteOffset() + 1;
                known = known(record, schemaStart, schemaEnd - schemaStart);
            } else if (token == JsonToken.VALUE_NULL) {
                schemaStart = (int) parser.currentTokenLocation().getByteOffset();
                schemaEnd = schemaStart + 4;
                known = new KnownSchema(
                        SchemaBytes.probe(record, schemaStart, 4).copy(), Optional.empty());
            } else {
                throw OffThePath.INSTANCE;
            }
            if (!"payload".equals(parser.nextFieldName())) throw OffThePath.INSTANCE;
            parser.nextToken();
            Schema schema = known.schema().orElse(null);
            Object value = payloads.read(parser, schema);
            if (parser.nextToken() != JsonToken.END_OBJECT) throw OffThePath.INSTANCE;
            // Records laid out as JsonConverter writes them are recognised next time without tokenizing the schema.
            if (topic != null
                    && cacheSize > 0
                    && schemaStart == Envelope.SCHEMA_FIELD.length
                    && regionEquals(record, 0, Envelope.SCHEMA_FIELD)
                    && regionEquals(record, schemaEnd, Envelope.PAYLOAD_FIELD)) {
                lastByTopic.put(topic, known);
            }
            return new SchemaAndValue(schema, value);
        }
    }

    private KnownSchema known(byte[] record, int offset, int length) throws IOException {
        SchemaBytes probe = SchemaBytes.probe(record, offset, length);
        KnownSchema known = schemas.getIfPresent(probe);
        if (known != null) {
            return known;
        }
        JsonNode tree = mapper.readTree(record, offset, length);
        // Kafka's own translation of a JSON schema, so both converters build the same Connect schema.
        Schema schema = reference.asConnectSchema(tree);
        known = new KnownSchema(probe.copy(), Optional.ofNullable(schema));
        schemas.put(known.bytes(), known);
        return known;
    }

    private static boolean startsWithSchemaOf(byte[] record, KnownSchema known) {
        int schemaLength = known.bytes().length();
        return regionEquals(record, 0, Envelope.SCHEMA_FIELD)
                && known.bytes().foundIn(record, Envelope.SCHEMA_FIELD.length)
                && regionEquals(record, Envelope.SCHEMA_FIELD.length + schemaLength, Envelope.PAYLOAD_FIELD);
    }

    private static boolean regionEquals(byte[] record, int at, byte[] expected) {
        return Envelope.holds(record, at, expected, 0, expected.length);
    }
}
