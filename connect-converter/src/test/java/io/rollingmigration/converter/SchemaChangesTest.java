package io.rollingmigration.converter;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaAndValue;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.DataException;
import org.junit.jupiter.api.Test;

/** A schema that changes mid-stream is never served from the cache in its old form. */
class SchemaChangesTest {

    private static final Schema V1 = SchemaBuilder.struct()
            .name("legacy.public.policy.Value")
            .field("id", Schema.INT32_SCHEMA)
            .field("holder", Schema.STRING_SCHEMA)
            .build();
    private static final Schema V2 = SchemaBuilder.struct()
            .name("legacy.public.policy.Value")
            .field("id", Schema.INT32_SCHEMA)
            .field("holder", Schema.STRING_SCHEMA)
            .field(
                    "region",
                    SchemaBuilder.string().optional().defaultValue("EU").build())
            .build();

    @Test
    void aColumnAddedMidStreamIsReadWithTheNewSchemaAndTheOldOneStillReadsAfterIt() {
        BothConverters both = new BothConverters(Map.of(), false);
        byte[] before =
                both.assertSameWrite("policy", V1, new Struct(V1).put("id", 1).put("holder", "Ann"));
        byte[] after = both.assertSameWrite(
                "policy", V2, new Struct(V2).put("id", 2).put("holder", "Bo").put("region", "US"));
        for (byte[] record : new byte[][] {before, before, after, after, before, after}) {
            SchemaAndValue read = both.assertSameRead("policy", record);
            Schema expected = record == before ? V1 : V2;
            assertEquals(expected, read.schema());
            assertEquals(
                    expected,
                    ((Struct) both.ours.toConnectData("policy", record).value()).schema());
        }
        assertEquals(0, both.ours.answeredByReference());
    }

    @Test
    void aSchemaCacheOfOneStillReadsAlternatingSchemasRight() {
        BothConverters both = new BothConverters(Map.of("schemas.cache.size", "1"), false);
        byte[] one = both.assertSameWrite("a", V1, new Struct(V1).put("id", 1).put("holder", "Ann"));
        byte[] two = both.assertSameWrite("a", V2, new Struct(V2).put("id", 2).put("holder", "Bo"));
        for (int i = 0; i < 10; i++) {
            assertEquals(V1, both.assertSameRead(i % 2 == 0 ? "a" : "b", one).schema());
            assertEquals(V2, both.assertSameRead(i % 3 == 0 ? "a" : "b", two).schema());
        }
    }

    @Test
    void aSchemaCacheOfNoneCachesNothingAndStillReadsAlike() {
        BothConverters both = new BothConverters(Map.of("schemas.cache.size", "0"), false);
        byte[] one = both.assertSameWrite("a", V1, new Struct(V1).put("id", 1).put("holder", "Ann"));
        byte[] two = both.assertSameWrite("a", V2, new Struct(V2).put("id", 2).put("holder", "Bo"));
        assertEquals(V1, both.assertSameRead("a", one).schema());
        assertEquals(V2, both.assertSameRead("a", two).schema());
        assertEquals(V1, both.assertSameRead("a", one).schema());
    }

    @Test
    void aSchemaEqualToAnotherButABuiltAnewIsWrittenFromTheSameBytes() {
        BothConverters both = new BothConverters(Map.of(), false);
        for (int i = 0; i < 3; i++) {
            Schema rebuilt = SchemaBuilder.struct()
                    .name("legacy.public.policy.Value")
                    .field("id", Schema.INT32_SCHEMA)
                    .field("holder", Schema.STRING_SCHEMA)
                    .build();
            both.assertSameWrite(
                    "policy", rebuilt, new Struct(rebuilt).put("id", i).put("holder", "x"));
        }
    }

    @Test
    void headersAreConvertedAsValues() {
        BothConverters both = new BothConverters(Map.of("converter.type", "header"), false);
        both.stock.configure(Map.of("converter.type", "header"));
        both.ours.configure(Map.of("converter.type", "header"));
        byte[] stock = both.stock.fromConnectHeader(
                "t", "lineage", V1, new Struct(V1).put("id", 1).put("holder", "A"));
        byte[] ours = both.ours.fromConnectHeader(
                "t", "lineage", V1, new Struct(V1).put("id", 1).put("holder", "A"));
        assertArrayEquals(stock, ours);
        assertEquals(
                both.stock.toConnectHeader("t", "lineage", stock), both.ours.toConnectHeader("t", "lineage", ours));
        assertNull(both.ours.toConnectHeader("t", "lineage", null).value());
    }

    @Test
    void aSchemaGivenInTheConfigurationReadsBarePayloads() {
        String schema = "{\"type\":\"struct\",\"fields\":[{\"type\":\"int32\",\"optional\":false,\"field\":\"id\"},"
                + "{\"type\":\"string\",\"optional\":true,\"field\":\"holder\"}],\"optional\":false,\"name\":\"p\"}";
        BothConverters both = new BothConverters(Map.of("schema.content", schema), false);
        for (String payload : new String[] {"{\"id\":1,\"holder\":\"Ann\"}", "{\"id\":2}", "{\"holder\":\"x\"}", "5"}) {
            both.assertSameRead("t", payload.getBytes(StandardCharsets.UTF_8));
        }
        assertThrows(
                DataException.class,
                () -> new CachedSchemaJsonConverter().configure(Map.of("schema.content", "{not json"), false));
    }
}
