package io.rollingmigration.converter;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.json.JsonConverter;

/**
 * Writes records in JsonConverter's layout: with schemas enabled, the schema part is bytes written once per schema
 * (found by the schema object's identity first, so a source's schema is not hashed per record), then the payload
 * streamed after it.
 */
final class EnvelopeWriter {

    private final ObjectMapper mapper;
    private final JsonFactory factory;
    private final JsonConverter reference;
    private final PayloadWriter payloads;
    private final boolean schemasEnabled;
    private final Cache<Schema, byte[]> bySchemaIdentity;
    private final Cache<Schema, byte[]> bySchemaEquality;

    EnvelopeWriter(
            ObjectMapper mapper,
            JsonConverter reference,
            PayloadWriter payloads,
            boolean schemasEnabled,
            int cacheSize) {
        this.mapper = mapper;
        this.factory = mapper.getFactory();
        this.reference = reference;
        this.payloads = payloads;
        this.schemasEnabled = schemasEnabled;
        // Weak keys compare by identity and let a schema nobody uses any more go.
        this.bySchemaIdentity =
                Caffeine.newBuilder().weakKeys().maximumSize(cacheSize).build();
        this.bySchemaEquality = Caffeine.newBuilder().maximumSize(cacheSize).build();
    }

    byte[] write(Schema schema, Object value) throws IOException {
        if (schema == null) throw OffThePath.INSTANCE;
        RecordBuffer out = RecordBuffer.forThisThread();
        if (schemasEnabled) {
            out.write(Envelope.SCHEMA_FIELD);
            out.write(schemaBytes(schema));
            out.write(Envelope.PAYLOAD_FIELD);
        }
        try (JsonGenerator generator = factory.createGenerator(out)) {
            payloads.write(generator, schema, value);
        }
        if (schemasEnabled) {
            out.write('}');
        }
        return out.toByteArray();
    }

    private byte[] schemaBytes(Schema schema) {
        byte[] bytes = bySchemaIdentity.getIfPresent(schema);
        if (bytes == null) {
            bytes = bySchemaEquality.get(schema, this::serialize);
            bySchemaIdentity.put(schema, bytes);
        }
        return bytes;
    }

    private byte[] serialize(Schema schema) {
        try {
            // Kafka's own JSON form of the schema, written by the same Jackson as the payload.
            return mapper.writeValueAsBytes(reference.asJsonSchema(schema));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
