package io.rollingmigration.connect.common.normalize;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.rollingmigration.testsupport.PostgresFixture;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.data.Date;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.data.Time;
import org.apache.kafka.connect.data.Timestamp;
import org.apache.kafka.connect.errors.DataException;
import org.junit.jupiter.api.Test;

/**
 * One value model for both sides of a comparison: every Connect and Debezium logical type a change event carries,
 * and every JDBC type a legacy row is read with, arrive as the same Java value for the same legacy value.
 */
class ValueNormalizerTest {

    private static final LocalDateTime WALL_CLOCK = LocalDateTime.of(2026, 3, 29, 1, 30, 15, 123_456_000);
    private static final Instant MOMENT = Instant.parse("2026-03-29T01:30:15.123456Z");

    private static Object normalised(String logicalName, Schema.Type type, Object value) {
        return ValueNormalizer.value(new SchemaBuilder(type).name(logicalName).build(), value);
    }

    @Test
    void connectLogicalTypes() {
        assertEquals(new BigDecimal("12.30"), ValueNormalizer.value(Decimal.schema(2), new BigDecimal("12.30")));
        assertEquals(
                LocalDate.of(2026, 3, 29),
                ValueNormalizer.value(Date.SCHEMA, java.util.Date.from(Instant.parse("2026-03-29T00:00:00Z"))));
        assertEquals(
                LocalTime.of(1, 30, 15, 123_000_000),
                ValueNormalizer.value(Time.SCHEMA, new java.util.Date(5_415_123L)));
        assertEquals(
                WALL_CLOCK.withNano(123_000_000), ValueNormalizer.value(Timestamp.SCHEMA, java.util.Date.from(MOMENT)));
    }

    @Test
    void debeziumTimeTypesInEveryPrecision() {
        assertEquals(LocalDate.of(2026, 3, 29), normalised("io.debezium.time.Date", Schema.Type.INT32, (int)
                LocalDate.of(2026, 3, 29).toEpochDay()));
        assertEquals(
                LocalTime.of(1, 30, 15, 123_000_000),
                normalised("io.debezium.time.Time", Schema.Type.INT32, 5_415_123));
        assertEquals(
                LocalTime.of(1, 30, 15, 123_456_000),
                normalised("io.debezium.time.MicroTime", Schema.Type.INT64, 5_415_123_456L));
        assertEquals(
                LocalTime.of(1, 30, 15, 123_456_789),
                normalised("io.debezium.time.NanoTime", Schema.Type.INT64, 5_415_123_456_789L));
        assertEquals(
                WALL_CLOCK.withNano(123_000_000),
                normalised("io.debezium.time.Timestamp", Schema.Type.INT64, MOMENT.toEpochMilli()));
        assertEquals(
                WALL_CLOCK,
                normalised(
                        "io.debezium.time.MicroTimestamp",
                        Schema.Type.INT64,
                        MOMENT.getEpochSecond() * 1_000_000L + 123_456L));
        assertEquals(
                WALL_CLOCK.withNano(123_456_789),
                normalised(
                        "io.debezium.time.NanoTimestamp",
                        Schema.Type.INT64,
                        MOMENT.getEpochSecond() * 1_000_000_000L + 123_456_789L));
        assertEquals(
                MOMENT,
                normalised("io.debezium.time.ZonedTimestamp", Schema.Type.STRING, "2026-03-29T03:30:15.123456+02:00"));
    }

    @Test
    void timesBeforeTheEpochKeepTheirWallClock() {
        assertEquals(
                LocalDateTime.of(1969, 12, 31, 23, 59, 59, 999_999_000),
                normalised("io.debezium.time.MicroTimestamp", Schema.Type.INT64, -1L));
    }

    @Test
    void debeziumDataTypes() {
        Schema variable = SchemaBuilder.struct()
                .name("io.debezium.data.VariableScaleDecimal")
                .field("scale", Schema.INT32_SCHEMA)
                .field("value", Schema.BYTES_SCHEMA)
                .build();
        Struct decimal = new Struct(variable)
                .put("scale", 3)
                .put("value", BigInteger.valueOf(-123_456).toByteArray());
        assertEquals(new BigDecimal("-123.456"), ValueNormalizer.value(variable, decimal));
        assertEquals(
                "0f8fad5b-d9cb-469f-a165-70867728950e",
                normalised("io.debezium.data.Uuid", Schema.Type.STRING, "0F8FAD5B-D9CB-469F-A165-70867728950E"));
        assertEquals("{\"a\": 1}", normalised("io.debezium.data.Json", Schema.Type.STRING, "{\"a\": 1}"));
        assertEquals("GOLD", normalised("io.debezium.data.Enum", Schema.Type.STRING, "GOLD"));
    }

    @Test
    void plainConnectTypes() {
        assertEquals(7L, ValueNormalizer.value(Schema.INT8_SCHEMA, (byte) 7));
        assertEquals(7L, ValueNormalizer.value(Schema.INT16_SCHEMA, (short) 7));
        assertEquals(7L, ValueNormalizer.value(Schema.INT32_SCHEMA, 7));
        assertEquals(7L, ValueNormalizer.value(Schema.INT64_SCHEMA, 7L));
        assertEquals(0.5d, ValueNormalizer.value(Schema.FLOAT32_SCHEMA, 0.5f));
        assertEquals(0.5d, ValueNormalizer.value(Schema.FLOAT64_SCHEMA, 0.5d));
        assertEquals(true, ValueNormalizer.value(Schema.BOOLEAN_SCHEMA, true));
        assertArrayEquals(new byte[] {1, 2}, (byte[])
                ValueNormalizer.value(Schema.BYTES_SCHEMA, ByteBuffer.wrap(new byte[] {1, 2})));
        assertEquals(
                List.of(1L, 2L),
                ValueNormalizer.value(SchemaBuilder.array(Schema.INT32_SCHEMA).build(), List.of(1, 2)));
        assertNull(ValueNormalizer.value(Schema.OPTIONAL_STRING_SCHEMA, null));
    }

    @Test
    void aTypeWithoutAValueModelIsRefusedByName() {
        Schema map =
                SchemaBuilder.map(Schema.STRING_SCHEMA, Schema.STRING_SCHEMA).build();
        DataException refused = assertThrows(DataException.class, () -> ValueNormalizer.value(map, Map.of()));
        assertEquals("Cannot normalise a value of Connect type MAP", refused.getMessage());
    }

    @Test
    void jdbcColumnsOfPostgresqlArriveInTheSameModel() throws Exception {
        PostgresFixture postgres = PostgresFixture.shared();
        try (Connection connection = postgres.connect(PostgresFixture.LEGACY);
                Statement statement = connection.createStatement()) {
            statement.execute("SET TIME ZONE 'Europe/Paris'");
            try (ResultSet rs = statement.executeQuery("SELECT 7::smallint AS small, 7::int AS whole, "
                    + "7::bigint AS big, 0.5::real AS real, 0.5::float8 AS dbl, 12.30::numeric(6,2) AS amount, "
                    + "DATE '2026-03-29' AS day, TIME '01:30:15.123456' AS clock, "
                    + "TIMESTAMP '2026-03-29 01:30:15.123456' AS wall, "
                    + "TIMESTAMPTZ '2026-03-29 01:30:15.123456+00' AS moment, true AS flag, "
                    + "'\\x0102'::bytea AS raw, '0F8FAD5B-D9CB-469F-A165-70867728950E'::uuid AS id, "
                    + "ARRAY[1, 2]::int[] AS items, 'x'::text AS txt, NULL::int AS nothing")) {
                rs.next();
                Map<String, Object> row = ValueNormalizer.row(rs);
                assertEquals(7L, row.get("small"));
                assertEquals(7L, row.get("whole"));
                assertEquals(7L, row.get("big"));
                assertEquals(0.5d, row.get("real"));
                assertEquals(0.5d, row.get("dbl"));
                assertEquals(new BigDecimal("12.30"), row.get("amount"));
                assertEquals(LocalDate.of(2026, 3, 29), row.get("day"));
                assertEquals(LocalTime.of(1, 30, 15, 123_456_000), row.get("clock"));
                assertEquals(WALL_CLOCK, row.get("wall"), "a wall clock, whatever the session's zone");
                assertEquals(MOMENT, row.get("moment"));
                assertEquals(true, row.get("flag"));
                assertArrayEquals(new byte[] {1, 2}, (byte[]) row.get("raw"));
                assertEquals("0f8fad5b-d9cb-469f-a165-70867728950e", row.get("id"));
                assertEquals(List.of(1L, 2L), row.get("items"));
                assertEquals("x", row.get("txt"));
                assertNull(row.get("nothing"));
            }
        }
    }
}
