package io.rollingmigration.connect.reconcile.sweep;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KeyOrderTest {

    private static List<Object> key(Object... parts) {
        return List.of(parts);
    }

    @Test
    void textIsOrderedByUtf8BytesLikeCollateC() {
        List<List<Object>> keys = new ArrayList<>(List.of(key("b"), key("é"), key("B"), key("a"), key("Z"),
                key("日本"), key("😀"), key("\uFFFD")));
        keys.sort(KeyOrder.INSTANCE);

        assertEquals(List.of(key("B"), key("Z"), key("a"), key("b"), key("é"), key("日本"), key("\uFFFD"),
                key("😀")), keys);
    }

    @Test
    void supplementaryCharactersSortAfterTheBasicPlaneUnlikeStringCompareTo() {
        String emoji = "😀";      // U+1F600, UTF-16 surrogates D83D DE00
        String replacement = "\uFFFD";
        assertTrue(emoji.compareTo(replacement) < 0, "UTF-16 order puts the surrogate first");
        assertTrue(KeyOrder.INSTANCE.compare(key(emoji), key(replacement)) > 0, "byte order puts it last");
    }

    @Test
    void numbersAreOrderedByValueWhateverTheirJavaType() {
        assertTrue(KeyOrder.INSTANCE.compare(key(9L), key(10L)) < 0);
        assertTrue(KeyOrder.INSTANCE.compare(key(9), key(10L)) < 0);
        assertEquals(0, KeyOrder.INSTANCE.compare(key(new BigDecimal("10.0")), key(10L)));
    }

    @Test
    void compositeKeysCompareComponentByComponent() {
        assertTrue(KeyOrder.INSTANCE.compare(key("a", 2L), key("a", 10L)) < 0);
        assertTrue(KeyOrder.INSTANCE.compare(key("a", 99L), key("b", 1L)) < 0);
        assertEquals(0, KeyOrder.INSTANCE.compare(key("x", 1L), key("x", 1L)));
    }
}
