package io.rollingmigration.connect.common.spec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import org.apache.kafka.connect.errors.DataException;
import org.junit.jupiter.api.Test;

class LegacyValuesTest {

    private static Object into(ColumnType column, Object value) {
        return LegacyValues.toColumn(column, value, false);
    }

    @Test
    void serviceValuesBecomeTheLegacyColumnsTypes() {
        assertEquals(42L, into(ColumnType.LONG, "42"));
        assertEquals(42L, into(ColumnType.LONG, new BigDecimal("42")));
        assertEquals(42L, into(ColumnType.LONG, 42));
        assertEquals(1.5, into(ColumnType.DOUBLE, new BigDecimal("1.5")));
        assertEquals(1.5, into(ColumnType.DOUBLE, " 1.5 "));
        assertEquals(new BigDecimal("12.50"), into(ColumnType.DECIMAL, "12.50"));
        assertEquals(BigDecimal.valueOf(7), into(ColumnType.DECIMAL, 7L));
        assertEquals(Boolean.TRUE, into(ColumnType.BOOLEAN, "TRUE"));
        assertEquals(LocalDate.of(2026, 12, 7), into(ColumnType.DATE, "2026-12-07"));
        assertEquals(LocalDate.of(2026, 12, 7), into(ColumnType.DATE, Instant.parse("2026-12-07T00:00:00Z")));
        assertEquals(LocalDate.of(2026, 12, 7), into(ColumnType.DATE, LocalDateTime.of(2026, 12, 7, 0, 0)));
        assertEquals(LocalTime.of(10, 15), into(ColumnType.TIME, Duration.ofMinutes(615)));
        assertEquals(LocalTime.of(10, 15), into(ColumnType.TIME, "10:15"));
        assertEquals(
                LocalDateTime.of(2026, 12, 7, 10, 15),
                into(ColumnType.TIMESTAMP, Instant.parse("2026-12-07T10:15:00Z")));
        assertEquals(LocalDateTime.of(2026, 12, 7, 10, 15), into(ColumnType.TIMESTAMP, "2026-12-07T10:15"));
        assertEquals(Instant.parse("2026-12-07T09:15:00Z"), into(ColumnType.TIMESTAMPTZ, "2026-12-07T10:15+01:00"));
        assertEquals(
                Instant.parse("2026-12-07T10:15:00Z"),
                into(ColumnType.TIMESTAMPTZ, LocalDateTime.of(2026, 12, 7, 10, 15)));
        assertArrayEquals(new byte[] {1, 2}, (byte[]) into(ColumnType.BYTES, ByteString.copyFrom(new byte[] {1, 2})));
        assertEquals("12.50", into(ColumnType.STRING, new BigDecimal("12.50")));
        assertEquals("10:15", into(ColumnType.STRING, Duration.ofMinutes(615)));
    }

    @Test
    void aValueThatWouldLoseInformationIsRefusedNamingBothTypes() {
        for (Object[] refused : new Object[][] {
            {ColumnType.LONG, new BigDecimal("1.5")},
            {ColumnType.LONG, "one"},
            {ColumnType.BOOLEAN, "yes"},
            {ColumnType.DATE, LocalDateTime.of(2026, 12, 7, 10, 15)},
            {ColumnType.DATE, Instant.parse("2026-12-07T10:15:00Z")},
            {ColumnType.STRING, new byte[] {1}},
            {ColumnType.DECIMAL, 1.5}
        }) {
            DataException e = assertThrows(DataException.class, () -> into((ColumnType) refused[0], refused[1]));
            assertTrue(e.getMessage().contains("legacy " + ((ColumnType) refused[0]).modelName()), e.getMessage());
        }
    }

    @Test
    void aMaskedValueIsNeverShown() {
        DataException e =
                assertThrows(DataException.class, () -> LegacyValues.toColumn(ColumnType.LONG, "secret", true));
        assertTrue(!e.getMessage().contains("secret") && e.getMessage().contains("masked"), e.getMessage());
    }
}
