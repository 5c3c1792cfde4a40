package io.rollingmigration.converter;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaAndValue;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.json.JsonConverter;

/** Kafka's JsonConverter and ours, configured alike, and the assertions that they answer alike. */
final class BothConverters {

    final Map<String, Object> config;
    final boolean isKey;
    final JsonConverter stock = new JsonConverter();
    final CachedSchemaJsonConverter ours = new CachedSchemaJsonConverter();

    BothConverters(Map<String, ?> config, boolean isKey) {
        this.config = new HashMap<>(config);
        this.isKey = isKey;
        stock.configure(config, isKey);
        ours.configure(config, isKey);
    }

    @Override
    public String toString() {
        return (isKey ? "key " : "value ") + config;
    }

    /** Both write the same bytes (or fail alike); returns the bytes, null if both refused. */
    byte[] assertSameWrite(String topic, Schema schema, Object value) {
        Outcome<byte[]> expected = Outcome.of(() -> stock.fromConnectData(topic, schema, value));
        Outcome<byte[]> actual = Outcome.of(() -> ours.fromConnectData(topic, schema, value));
        expected.assertSameAs(actual, () -> this + " writing " + schema + " " + value);
        if (expected.result != null) {
            assertArrayEquals(
                    expected.result,
                    actual.result,
                    () -> this + " wrote\n" + text(actual.result) + "\ninstead of\n" + text(expected.result));
        }
        return expected.result;
    }

    /** Both read the same Connect data (or fail alike) from the bytes. */
    SchemaAndValue assertSameRead(String topic, byte[] bytes) {
        Outcome<SchemaAndValue> expected = Outcome.of(() -> stock.toConnectData(topic, bytes));
        Outcome<SchemaAndValue> actual = Outcome.of(() -> ours.toConnectData(topic, bytes));
        expected.assertSameAs(actual, () -> this + " reading " + text(bytes));
        if (expected.failure == null) {
            if (expected.result == null) {
                assertNull(actual.result);
            } else {
                assertTrue(
                        sameSchema(expected.result.schema(), actual.result.schema()),
                        () -> this + " schema of " + text(bytes));
                assertTrue(
                        sameData(expected.result.value(), actual.result.value()),
                        () -> this + " read " + actual.result.value() + "\ninstead of " + expected.result.value()
                                + "\nfrom " + text(bytes));
            }
        }
        return expected.result;
    }

    SchemaAndValue assertSameRead(String topic, String json) {
        return assertSameRead(topic, json.getBytes(StandardCharsets.UTF_8));
    }

    /** Writes with both, then reads the bytes back with both. */
    void assertSameRoundTrip(String topic, Schema schema, Object value) {
        byte[] bytes = assertSameWrite(topic, schema, value);
        if (bytes != null) {
            assertSameRead(topic, bytes);
        }
    }

    static String text(byte[] bytes) {
        return bytes == null ? "null" : new String(bytes, StandardCharsets.UTF_8);
    }

    /** Equality of schemas that compares defaults as {@link #sameData} does (a schema compares byte arrays by identity). */
    static boolean sameSchema(Schema a, Schema b) {
        if (Objects.equals(a, b)) return true;
        if (a == null || b == null) return false;
        if (a.type() != b.type()
                || a.isOptional() != b.isOptional()
                || !Objects.equals(a.name(), b.name())
                || !Objects.equals(a.version(), b.version())
                || !Objects.equals(a.doc(), b.doc())
                || !Objects.equals(a.parameters(), b.parameters())
                || !sameData(a.defaultValue(), b.defaultValue())) {
            return false;
        }
        return switch (a.type()) {
            case ARRAY -> sameSchema(a.valueSchema(), b.valueSchema());
            case MAP -> sameSchema(a.keySchema(), b.keySchema()) && sameSchema(a.valueSchema(), b.valueSchema());
            case STRUCT -> {
                if (a.fields().size() != b.fields().size()) yield false;
                for (int i = 0; i < a.fields().size(); i++) {
                    if (!a.fields().get(i).name().equals(b.fields().get(i).name())
                            || !sameSchema(
                                    a.fields().get(i).schema(),
                                    b.fields().get(i).schema())) yield false;
                }
                yield true;
            }
            default -> true;
        };
    }

    /** Equality of Connect data that compares byte arrays by content wherever they are, in lists and maps too. */
    static boolean sameData(Object a, Object b) {
        if (a == b) return true;
        if (a == null || b == null) return false;
        if (a instanceof byte[] x && b instanceof byte[] y) return Arrays.equals(x, y);
        if (a instanceof ByteBuffer x && b instanceof ByteBuffer y) return x.equals(y);
        if (a instanceof Struct x && b instanceof Struct y) {
            if (!sameSchema(x.schema(), y.schema())) return false;
            for (Field field : x.schema().fields()) {
                if (!sameData(x.getWithoutDefault(field.name()), y.getWithoutDefault(field.name()))) return false;
            }
            return true;
        }
        if (a instanceof List<?> x && b instanceof List<?> y) {
            if (x.size() != y.size()) return false;
            Iterator<?> i = x.iterator();
            Iterator<?> j = y.iterator();
            while (i.hasNext()) {
                if (!sameData(i.next(), j.next())) return false;
            }
            return true;
        }
        if (a instanceof Map<?, ?> x && b instanceof Map<?, ?> y) {
            if (x.size() != y.size()) return false;
            // Keys that are byte arrays cannot be looked up: pair them by content.
            outer:
            for (Map.Entry<?, ?> e : x.entrySet()) {
                for (Map.Entry<?, ?> f : y.entrySet()) {
                    if (sameData(e.getKey(), f.getKey())) {
                        if (!sameData(e.getValue(), f.getValue())) return false;
                        continue outer;
                    }
                }
                return false;
            }
            return true;
        }
        return a.getClass() == b.getClass() && a.equals(b);
    }

    /** A result or the exception thrown instead. */
    record Outcome<T>(T result, RuntimeException failure) {
        static <T> Outcome<T> of(Supplier<T> call) {
            try {
                return new Outcome<>(call.get(), null);
            } catch (RuntimeException e) {
                return new Outcome<>(null, e);
            }
        }

        void assertSameAs(Outcome<?> actual, Supplier<String> what) {
            if (failure == null && actual.failure != null) {
                fail(
                        what.get() + ": ours failed with " + actual.failure + " where JsonConverter did not",
                        actual.failure);
            }
            if (failure != null) {
                if (actual.failure == null) {
                    fail(what.get() + ": JsonConverter failed with " + failure + " where ours gave " + actual.result);
                }
                assertEquals(failure.getClass(), actual.failure.getClass(), what);
                assertEquals(failure.getMessage(), actual.failure.getMessage(), what);
                assertEquals(Objects.toString(failure.getCause()), Objects.toString(actual.failure.getCause()), what);
            }
        }
    }
}
