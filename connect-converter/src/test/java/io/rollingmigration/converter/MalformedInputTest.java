package io.rollingmigration.converter;

import java.math.BigDecimal;
import java.util.Arrays;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.kafka.connect.data.Date;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.data.Timestamp;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What is not what JsonConverter writes: both converters give the same data, or the same DataException (class,
 * message, cause), so a dead letter queue sees the same reasons whichever converter a connector runs.
 */
class MalformedInputTest {

    static Stream<BothConverters> settings() {
        return Settings.everyCombination().stream();
    }

    private static final Schema ROW = SchemaBuilder.struct()
            .name("row")
            .field("id", Schema.INT32_SCHEMA)
            .field("small", Schema.OPTIONAL_INT8_SCHEMA)
            .field("big", Schema.OPTIONAL_INT64_SCHEMA)
            .field("ratio", Schema.OPTIONAL_FLOAT32_SCHEMA)
            .field("name", Schema.OPTIONAL_STRING_SCHEMA)
            .field("flag", Schema.OPTIONAL_BOOLEAN_SCHEMA)
            .field("blob", Schema.OPTIONAL_BYTES_SCHEMA)
            .field("price", Decimal.builder(2).optional().build())
            .field("day", Date.builder().optional().build())
            .field("at", Timestamp.builder().optional().build())
            .field("list", SchemaBuilder.array(Schema.INT32_SCHEMA).optional().build())
            .field(
                    "pairs",
                    SchemaBuilder.map(Schema.INT32_SCHEMA, Schema.STRING_SCHEMA)
                            .optional()
                            .build())
            .build();

    @ParameterizedTest(name = "{0}")
    @MethodSource("settings")
    void envelopesNotLaidOutAsJsonConverterWritesThem(BothConverters both) {
        String schema = schemaOf(both);
        String[] records = {
            "{\"payload\":{\"id\":1}," + schema.substring(1, schema.length() - 1) + "}",
            "{ \"schema\" : " + schemaPart(schema) + " , \"payload\" : {\"id\":1} }",
            "{\"schema\":" + schemaPart(schema) + ",\"payload\":{\"id\":1},\"extra\":1}",
            "{\"schema\":" + schemaPart(schema) + "}",
            "{\"schema\":" + schemaPart(schema) + ",\"payload\":{\"id\":1}} trailing",
            "{\"schema\":" + schemaPart(schema) + ",\"payload\":{\"id\":1},\"payload\":{\"id\":2}}",
            "{\"schema\":" + schemaPart(schema) + ",\"schema\":{\"type\":\"int32\"},\"payload\":3}",
            "{\"schema\":{\"type\":\"nope\"},\"payload\":3}",
            "{\"schema\":{\"optional\":true},\"payload\":3}",
            "{\"schema\":5,\"payload\":3}",
            "{\"schema\":{\"type\":\"struct\",\"fields\":[{\"type\":\"int32\"}]},\"payload\":{}}",
            "[1,2,3]",
            "\"text\"",
            "42",
            "{}",
            "",
            "   ",
        };
        for (String record : records) {
            both.assertSameRead("t", record);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("settings")
    void payloadsOfTheWrongShape(BothConverters both) {
        String[] payloads = {
            "{\"id\":\"1\"}",
            "{\"id\":1.9}",
            "{\"id\":-2.5e3}",
            "{\"id\":12345678901}",
            "{\"id\":123456789012345678901234567890}",
            "{\"id\":007}",
            "{\"id\":true}",
            "{\"id\":[1]}",
            "{\"id\":{}}",
            "{\"id\":null}",
            "{}",
            "[]",
            "\"row\"",
            "null",
            "{\"id\":1,\"small\":300}",
            "{\"id\":1,\"big\":1.5e300}",
            "{\"id\":1,\"ratio\":1e39}",
            "{\"id\":1,\"ratio\":\"NaN\"}",
            "{\"id\":1,\"name\":5}",
            "{\"id\":1,\"name\":{\"x\":1}}",
            "{\"id\":1,\"flag\":\"true\"}",
            "{\"id\":1,\"flag\":1}",
            "{\"id\":1,\"blob\":\"not base64!\"}",
            "{\"id\":1,\"blob\":\"  AQID  \"}",
            "{\"id\":1,\"blob\":\"AQI\"}",
            "{\"id\":1,\"blob\":12}",
            "{\"id\":1,\"price\":12.345}",
            "{\"id\":1,\"price\":12}",
            "{\"id\":1,\"price\":\"BNI=\"}",
            "{\"id\":1,\"price\":\"%%%\"}",
            "{\"id\":1,\"price\":true}",
            "{\"id\":1,\"day\":3000000000}",
            "{\"id\":1,\"day\":1.5}",
            "{\"id\":1,\"day\":\"2020-01-01\"}",
            "{\"id\":1,\"at\":1.5}",
            "{\"id\":1,\"at\":123456789012345678901234567890}",
            "{\"id\":1,\"list\":[1,null,3]}",
            "{\"id\":1,\"list\":{\"a\":1}}",
            "{\"id\":1,\"list\":\"x\"}",
            "{\"id\":1,\"pairs\":[[1,\"a\"],[2]]}",
            "{\"id\":1,\"pairs\":[[1,\"a\",3]]}",
            "{\"id\":1,\"pairs\":[1]}",
            "{\"id\":1,\"pairs\":{\"1\":\"a\"}}",
            "{\"id\":1,\"unknown\":[1,{\"a\":\"\\u00zz\"}]}",
            "{\"id\":1,\"unknown\":\"\\q\"}",
            "{\"id\":1,\"name\":\"\\ud800\"}",
            "{\"id\":1,\"name\":\"unterminated",
            "{\"id\":1,",
            "{\"id\":1 \"name\":\"x\"}",
            "{\"id\":01.5}",
            "{\"id\":+1}",
            "{\"id\":NaN}",
            "{'id':1}",
        };
        String envelope = schemaPart(schemaOf(both));
        for (String payload : payloads) {
            if (both.config.get("schemas.enable").equals("true")) {
                both.assertSameRead("t", "{\"schema\":" + envelope + ",\"payload\":" + payload + "}");
            } else {
                both.assertSameRead("t", payload);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("settings")
    void bytesThatAreNotUtf8(BothConverters both) {
        byte[] record =
                both.assertSameWrite("t", ROW, new Struct(ROW).put("id", 1).put("name", "é"));
        for (int i = 0; i < record.length; i++) {
            byte[] broken = record.clone();
            broken[i] = (byte) 0xC3;
            both.assertSameRead("t", broken);
            broken[i] = (byte) 0xFF;
            both.assertSameRead("t", broken);
        }
        for (int cut = 0; cut < record.length; cut++) {
            both.assertSameRead("t", Arrays.copyOf(record, cut));
        }
    }

    private static String schemaOf(BothConverters both) {
        BothConverters withSchemas = new BothConverters(Map.of("schemas.enable", "true"), both.isKey);
        Struct sample = new Struct(ROW).put("id", 1).put("price", new BigDecimal("1.00"));
        return BothConverters.text(withSchemas.stock.fromConnectData("t", ROW, sample));
    }

    /** The schema part of an envelope JsonConverter wrote. */
    private static String schemaPart(String envelope) {
        return envelope.substring("{\"schema\":".length(), envelope.indexOf(",\"payload\":"));
    }
}
