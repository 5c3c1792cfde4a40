package io.rollingmigration.connect.reconcile.sweep;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.sql.Timestamp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ValueEqualityTest {

    @Test
    void decimalsAreEqualRegardlessOfScale() {
        assertTrue(ValueEquality.same(new BigDecimal("10.5"), new BigDecimal("10.50")));
        assertFalse(ValueEquality.same(new BigDecimal("10.5"), new BigDecimal("10.51")));
    }

    @Test
    void numbersOfDifferentWidthsAreComparedByValue() {
        assertTrue(ValueEquality.same(7, 7L));
        assertTrue(ValueEquality.same(7L, new BigDecimal("7.00")));
    }

    @Test
    void nullEqualsOnlyNull() {
        assertTrue(ValueEquality.same(null, null));
        assertFalse(ValueEquality.same(null, ""));
        assertFalse(ValueEquality.same("", null));
    }

    @Test
    void bytesAreComparedByContentAndTimestampsByInstant() {
        assertTrue(ValueEquality.same(new byte[] {1, 2}, new byte[] {1, 2}));
        assertTrue(ValueEquality.same(new Timestamp(1000), new Timestamp(1000)));
        assertFalse(ValueEquality.same(new Timestamp(1000), new Timestamp(1001)));
    }

    @Test
    void valuesReadAsPlainText() {
        assertEquals("0.0000001", ValueEquality.text(new BigDecimal("1E-7")));
        assertEquals("AQI=", ValueEquality.text(new byte[] {1, 2}));
        assertEquals(null, ValueEquality.text(null));
    }
}
