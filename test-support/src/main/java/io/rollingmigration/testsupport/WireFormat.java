package io.rollingmigration.testsupport;

import io.apicurio.registry.utils.converter.avro.AvroData;
import io.apicurio.registry.utils.converter.avro.AvroDataConfig;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.kafka.connect.connector.ConnectRecord;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaAndValue;
import org.apache.kafka.connect.json.JsonConverter;

/**
 * A record as a Connect worker hands it to transforms and sinks after it crossed Kafka: its key and value written
 * to bytes as the source side's converter writes them, and read back as the sink side's converter reads them.
 * <p>
 * {@link #avro()} writes Avro binary under the Avro schema Apicurio's {@code AvroConverter} derives from the Connect
 * schema, and reads it back under that schema parsed from its text, which is what a registry stores and returns,
 * then maps it to Connect data as that converter does. The registry's own part (storing the text under an id) is
 * left out: no Apicurio Registry can be built here (docs/decisions/0021).
 */
public final class WireFormat {

    private final String name;
    private final Codec keys;
    private final Codec values;

    private WireFormat(String name, Codec keys, Codec values) {
        this.name = name;
        this.keys = keys;
        this.values = values;
    }

    /** Kafka's JsonConverter with inline schemas and Debezium's usual {@code decimal.format} (BASE64). */
    public static WireFormat json() {
        return new WireFormat("json", new JsonCodec(true), new JsonCodec(false));
    }

    /** Avro with Apicurio's Connect mapping, as its AvroConverter is configured by default. */
    public static WireFormat avro() {
        AvroCodec codec = new AvroCodec();
        return new WireFormat("avro", codec, codec);
    }

    /** The record with key and value as they arrive after the trip. */
    public <R extends ConnectRecord<R>> R carry(R record) {
        SchemaAndValue key = keys.trip(record.topic(), record.keySchema(), record.key());
        SchemaAndValue value = values.trip(record.topic(), record.valueSchema(), record.value());
        return record.newRecord(
                record.topic(),
                record.kafkaPartition(),
                key.schema(),
                key.value(),
                value.schema(),
                value.value(),
                record.timestamp(),
                record.headers());
    }

    @Override
    public String toString() {
        return name;
    }

    private interface Codec {
        SchemaAndValue trip(String topic, Schema schema, Object value);
    }

    private static final class JsonCodec implements Codec {
        private final JsonConverter converter = new JsonConverter();

        JsonCodec(boolean isKey) {
            converter.configure(Map.of("schemas.enable", "true"), isKey);
        }

        @Override
        public SchemaAndValue trip(String topic, Schema schema, Object value) {
            return converter.toConnectData(topic, converter.fromConnectData(topic, schema, value));
        }
    }

    private static final class AvroCodec implements Codec {
        private final AvroData data = new AvroData(new AvroDataConfig(Map.of()));

        @Override
        public SchemaAndValue trip(String topic, Schema schema, Object value) {
            if (value == null) {
                // A tombstone has no bytes to write: the converter reads it back as no schema and no value.
                return SchemaAndValue.NULL;
            }
            org.apache.avro.Schema written = data.fromConnectSchema(schema);
            Object avro = data.fromConnectData(schema, value);
            try {
                ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(bytes, null);
                new GenericDatumWriter<>(written).write(avro, encoder);
                encoder.flush();
                org.apache.avro.Schema fetched = new org.apache.avro.Schema.Parser().parse(written.toString());
                Object read = new GenericDatumReader<>(fetched)
                        .read(null, DecoderFactory.get().binaryDecoder(bytes.toByteArray(), null));
                return data.toConnectData(fetched, read);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
