package io.rollingmigration.converter;

import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;

/**
 * Debezium's semantic types as they reach a converter: named Connect schemas over plain types (built here by name
 * and shape, so these tests need no Debezium jar).
 */
final class DebeziumTypes {

    private DebeziumTypes() {}

    static SchemaBuilder microTimestamp() {
        return SchemaBuilder.int64().name("io.debezium.time.MicroTimestamp").version(1);
    }

    static SchemaBuilder nanoTimestamp() {
        return SchemaBuilder.int64().name("io.debezium.time.NanoTimestamp").version(1);
    }

    static SchemaBuilder zonedTimestamp() {
        return SchemaBuilder.string().name("io.debezium.time.ZonedTimestamp").version(1);
    }

    static SchemaBuilder date() {
        return SchemaBuilder.int32().name("io.debezium.time.Date").version(1);
    }

    static SchemaBuilder microTime() {
        return SchemaBuilder.int64().name("io.debezium.time.MicroTime").version(1);
    }

    static SchemaBuilder json() {
        return SchemaBuilder.string().name("io.debezium.data.Json").version(1);
    }

    static SchemaBuilder uuid() {
        return SchemaBuilder.string().name("io.debezium.data.Uuid").version(1);
    }

    static SchemaBuilder bits(int length) {
        return SchemaBuilder.bytes()
                .name("io.debezium.data.Bits")
                .version(1)
                .parameter("length", String.valueOf(length));
    }

    static SchemaBuilder variableScaleDecimal() {
        return SchemaBuilder.struct()
                .name("io.debezium.data.VariableScaleDecimal")
                .version(1)
                .doc("Variable scaled decimal")
                .field("scale", Schema.INT32_SCHEMA)
                .field("value", Schema.BYTES_SCHEMA);
    }

    static SchemaBuilder geometry() {
        return SchemaBuilder.struct()
                .name("io.debezium.data.geometry.Geometry")
                .version(1)
                .doc("Geometry")
                .field("wkb", Schema.BYTES_SCHEMA)
                .field("srid", Schema.OPTIONAL_INT32_SCHEMA);
    }

    static SchemaBuilder enumeration(String values) {
        return SchemaBuilder.string().name("io.debezium.data.Enum").version(1).parameter("allowed", values);
    }
}
