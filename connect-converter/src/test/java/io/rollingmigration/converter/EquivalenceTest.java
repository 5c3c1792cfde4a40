package io.rollingmigration.converter;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.kafka.connect.data.Date;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.data.Time;
import org.apache.kafka.connect.data.Timestamp;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every Connect and Debezium type, written and read by both converters in every setting, with identical results. */
class EquivalenceTest {

    static Stream<BothConverters> settings() {
        return Settings.everyCombination().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("settings")
    void everyPrimitiveAtItsLimits(BothConverters both) {
        Object[][] cases = {
            {Schema.INT8_SCHEMA, Byte.MIN_VALUE},
            {Schema.INT8_SCHEMA, Byte.MAX_VALUE},
            {Schema.INT16_SCHEMA, Short.MIN_VALUE},
            {Schema.INT16_SCHEMA, (short) 0},
            {Schema.INT32_SCHEMA, Integer.MIN_VALUE},
            {Schema.INT32_SCHEMA, Integer.MAX_VALUE},
            {Schema.INT64_SCHEMA, Long.MIN_VALUE},
            {Schema.INT64_SCHEMA, Long.MAX_VALUE},
            {Schema.FLOAT32_SCHEMA, 3.4028235e38f},
            {Schema.FLOAT32_SCHEMA, -1.4e-45f},
            {Schema.FLOAT32_SCHEMA, 0.1f},
            {Schema.FLOAT32_SCHEMA, Float.NaN},
            {Schema.FLOAT32_SCHEMA, -0.0f},
            {Schema.FLOAT64_SCHEMA, 0.1 + 0.2},
            {Schema.FLOAT64_SCHEMA, Double.MIN_VALUE},
            {Schema.FLOAT64_SCHEMA, Double.POSITIVE_INFINITY},
            {Schema.FLOAT64_SCHEMA, 1e300},
            {Schema.BOOLEAN_SCHEMA, true},
            {Schema.BOOLEAN_SCHEMA, false},
            {Schema.STRING_SCHEMA, ""},
            {Schema.STRING_SCHEMA, "Zürich \"quoted\" \\ \n\t\u0001 \u2028 😀"},
            {Schema.STRING_SCHEMA, new StringBuilder("a char sequence")},
            {Schema.BYTES_SCHEMA, new byte[0]},
            {Schema.BYTES_SCHEMA, new byte[] {0, -1, 127, -128, 42}},
            {Schema.BYTES_SCHEMA, ByteBuffer.wrap(new byte[] {1, 2, 3, 4}, 1, 2)},
            {Schema.OPTIONAL_INT32_SCHEMA, null},
            {Schema.OPTIONAL_STRING_SCHEMA, null},
        };
        for (Object[] c : cases) {
            both.assertSameRoundTrip("t", (Schema) c[0], c[1]);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("settings")
    void connectLogicalTypes(BothConverters both) {
        Schema money = Decimal.builder(2).optional().build();
        both.assertSameRoundTrip("t", money, new BigDecimal("12345678901234567890.25"));
        both.assertSameRoundTrip("t", money, new BigDecimal("-0.01"));
        both.assertSameRoundTrip("t", money, null);
        both.assertSameRoundTrip("t", Decimal.schema(0), new BigDecimal("7"));
        both.assertSameRoundTrip("t", money, new BigDecimal("1.5")); // wrong scale: both refuse
        both.assertSameRoundTrip("t", Date.SCHEMA, new java.util.Date(86_400_000L * 20_000));
        both.assertSameRoundTrip("t", Time.SCHEMA, new java.util.Date(45_296_789L));
        both.assertSameRoundTrip("t", Timestamp.SCHEMA, new java.util.Date(1_765_000_000_123L));
        both.assertSameRoundTrip("t", Timestamp.SCHEMA, new java.util.Date(-1L));
        both.assertSameRoundTrip("t", Date.SCHEMA, new java.util.Date(1L)); // not midnight: both refuse
        both.assertSameRoundTrip("t", Timestamp.SCHEMA, 5L); // not a Date: both refuse
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("settings")
    void debeziumSemanticTypes(BothConverters both) {
        Schema row = SchemaBuilder.struct()
                .name("legacy.public.things.Value")
                .field("micro", DebeziumTypes.microTimestamp().build())
                .field("nano", DebeziumTypes.nanoTimestamp().optional().build())
                .field("zoned", DebeziumTypes.zonedTimestamp().optional().build())
                .field("day", DebeziumTypes.date().build())
                .field("time", DebeziumTypes.microTime().optional().build())
                .field("doc", DebeziumTypes.json().optional().build())
                .field("id", DebeziumTypes.uuid().build())
                .field("flags", DebeziumTypes.bits(12).optional().build())
                .field("amount", DebeziumTypes.variableScaleDecimal().optional().build())
                .field("where", DebeziumTypes.geometry().optional().build())
                .field("kind", DebeziumTypes.enumeration("a,b,c").optional().build())
                .build();
        Struct full = new Struct(row)
                .put("micro", 1_765_000_000_123_456L)
                .put("nano", 1_765_000_000_123_456_789L)
                .put("zoned", "2026-12-08T04:00:00.123456Z")
                .put("day", 20_430)
                .put("time", 45_296_789_012L)
                .put("doc", "{\"a\": [1, 2.5, null]}")
                .put("id", "0b4e9c2a-8d7e-4b7f-9a43-5f1c2a7b9d10")
                .put("flags", new byte[] {0x0f, 0x01})
                .put(
                        "amount",
                        new Struct(row.field("amount").schema())
                                .put("scale", 3)
                                .put("value", new BigInteger("-123456789").toByteArray()))
                .put(
                        "where",
                        new Struct(row.field("where").schema())
                                .put("wkb", new byte[] {1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, -16, 63})
                                .put("srid", 4326))
                .put("kind", "b");
        long offPath = both.ours.answeredByReference();
        both.assertSameRoundTrip("legacy.public.things", row, full);
        assertEquals(offPath, both.ours.answeredByReference(), "a Debezium row is read and written on the fast path");
        Struct sparse =
                new Struct(row).put("micro", 0L).put("day", -1).put("id", "00000000-0000-0000-0000-000000000000");
        both.assertSameRoundTrip("legacy.public.things", row, sparse);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("settings")
    void arraysMapsAndNestedStructs(BothConverters both) {
        Schema address = SchemaBuilder.struct()
                .name("Address")
                .optional()
                .field("street", Schema.STRING_SCHEMA)
                .field(
                        "zip",
                        SchemaBuilder.string().optional().defaultValue("0000").build())
                .build();
        Schema tags = SchemaBuilder.array(Schema.OPTIONAL_STRING_SCHEMA).build();
        Schema byName = SchemaBuilder.map(Schema.STRING_SCHEMA, Schema.OPTIONAL_INT64_SCHEMA)
                .build();
        Schema byNumber = SchemaBuilder.map(Schema.INT32_SCHEMA, address).build();
        Schema byStruct =
                SchemaBuilder.map(address, Schema.FLOAT64_SCHEMA).optional().build();
        Schema person = SchemaBuilder.struct()
                .name("Person")
                .version(3)
                .doc("a person")
                .parameter("origin", "legacy")
                .field("tags", tags)
                .field("byName", byName)
                .field("byNumber", byNumber)
                .field("byStruct", byStruct)
                .field("home", address)
                .field(
                        "matrix",
                        SchemaBuilder.array(
                                SchemaBuilder.array(Schema.INT16_SCHEMA).build()))
                .build();
        Map<String, Long> names = new LinkedHashMap<>();
        names.put("one", 1L);
        names.put("none", null);
        names.put("", -5L);
        Map<Integer, Struct> numbers = new HashMap<>();
        numbers.put(7, new Struct(address).put("street", "Main St"));
        numbers.put(-1, null);
        Map<Struct, Double> structs = new HashMap<>();
        structs.put(new Struct(address).put("street", "Side St").put("zip", "8000"), 2.5);
        Struct value = new Struct(person)
                .put("tags", Arrays.asList("a", null, "c"))
                .put("byName", names)
                .put("byNumber", numbers)
                .put("byStruct", structs)
                .put("home", new Struct(address).put("street", "Home Rd"))
                .put("matrix", List.of(List.of((short) 1, (short) 2), List.of()));
        long offPath = both.ours.answeredByReference();
        both.assertSameRoundTrip("people", person, value);
        assertEquals(offPath, both.ours.answeredByReference(), "nested data is read and written on the fast path");
        both.assertSameRoundTrip("people", tags, List.of());
        both.assertSameRoundTrip("people", byName, Map.of());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("settings")
    void optionalAndDefaultValues(BothConverters both) {
        Schema withDefaults = SchemaBuilder.struct()
                .field("required", Schema.INT32_SCHEMA)
                .field("optional", Schema.OPTIONAL_INT32_SCHEMA)
                .field("defaulted", SchemaBuilder.int32().defaultValue(42).build())
                .field(
                        "optionalDefaulted",
                        SchemaBuilder.string().optional().defaultValue("x").build())
                .field(
                        "decimalDefault",
                        Decimal.builder(1).defaultValue(new BigDecimal("2.5")).build())
                .field(
                        "bytesDefault",
                        SchemaBuilder.bytes().defaultValue(new byte[] {9}).build())
                .field(
                        "dateDefault",
                        Date.builder()
                                .optional()
                                .defaultValue(new java.util.Date(0))
                                .build())
                .build();
        both.assertSameRoundTrip("d", withDefaults, new Struct(withDefaults).put("required", 1));
        both.assertSameRoundTrip(
                "d", withDefaults, new Struct(withDefaults).put("required", 2).put("defaulted", 7));
        // A missing required value: both refuse to write it.
        both.assertSameWrite("d", withDefaults, new Struct(withDefaults));
        both.assertSameRoundTrip("d", SchemaBuilder.int64().defaultValue(9L).build(), null);
        both.assertSameRoundTrip("d", Schema.INT64_SCHEMA, null);
        // Reading: fields absent, null, or present, for each kind of field.
        Struct everyField = new Struct(withDefaults)
                .put("required", 1)
                .put("defaulted", 2)
                .put("decimalDefault", new BigDecimal("0.5"))
                .put("bytesDefault", new byte[] {1});
        String schema = new String(both.stock.fromConnectData("d", withDefaults, everyField), StandardCharsets.UTF_8);
        if (both.config.get("schemas.enable").equals("true")) {
            String envelope = schema.substring(0, schema.indexOf(",\"payload\":"));
            for (String payload : new String[] {
                "{\"required\":1}",
                "{\"required\":1,\"optional\":null,\"defaulted\":null,\"optionalDefaulted\":null}",
                "{\"optional\":3}",
                "{\"required\":null}",
                "{\"required\":1,\"decimalDefault\":null,\"bytesDefault\":null,\"dateDefault\":null}",
                "{\"required\":1,\"unknown\":{\"deep\":[1,2,{\"x\":\"y\"}]},\"optional\":4}",
                "{\"optionalDefaulted\":\"z\",\"required\":5,\"required\":6}",
            }) {
                both.assertSameRead("d", envelope + ",\"payload\":" + payload + "}");
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("settings")
    void tombstonesAndNulls(BothConverters both) {
        both.assertSameRead("t", (byte[]) null);
        both.assertSameWrite("t", null, null);
        both.assertSameRoundTrip("t", Schema.OPTIONAL_STRING_SCHEMA, null);
        both.assertSameRead("t", "null");
        both.assertSameRead("t", "{\"schema\":null,\"payload\":null}");
        both.assertSameRead("t", "{\"schema\":null,\"payload\":{\"a\":[1,2.50,\"x\",true,null,{\"b\":{}}]}}");
        both.assertSameRead("t", new byte[0]);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("settings")
    void schemalessValuesAreWrittenAlike(BothConverters both) {
        Map<Object, Object> map = new LinkedHashMap<>();
        map.put("a", 1);
        map.put("b", List.of(1.5f, "x", true));
        both.assertSameRoundTrip("t", null, map);
        Map<Object, Object> nonString = new LinkedHashMap<>();
        nonString.put(1, "one");
        both.assertSameRoundTrip("t", null, nonString);
        both.assertSameRoundTrip("t", null, "just a string");
        both.assertSameRoundTrip("t", null, new Object()); // no Connect type: both refuse
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("settings")
    void valuesOfTheWrongTypeAreRefusedAlike(BothConverters both) {
        both.assertSameWrite("t", Schema.INT32_SCHEMA, "not an int");
        both.assertSameWrite("t", Schema.STRING_SCHEMA, 5);
        both.assertSameWrite("t", Schema.BYTES_SCHEMA, "text");
        both.assertSameWrite("t", Decimal.schema(2), 1.25);
        Schema a = SchemaBuilder.struct().field("x", Schema.INT32_SCHEMA).build();
        Schema b = SchemaBuilder.struct().field("y", Schema.INT32_SCHEMA).build();
        both.assertSameWrite("t", a, new Struct(b).put("y", 1));
        both.assertSameWrite(
                "t",
                SchemaBuilder.map(Schema.OPTIONAL_STRING_SCHEMA, Schema.INT32_SCHEMA)
                        .build(),
                new HashMap<>(Map.of("k", 1)));
    }
}
