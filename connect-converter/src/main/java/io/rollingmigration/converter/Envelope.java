package io.rollingmigration.converter;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** JsonConverter's envelope as it writes it: {@code {"schema":S,"payload":P}}, no spaces. */
final class Envelope {

    /** The bytes before the schema. */
    static final byte[] SCHEMA_FIELD = "{\"schema\":".getBytes(StandardCharsets.UTF_8);
    /** The bytes between the schema and the payload. */
    static final byte[] PAYLOAD_FIELD = ",\"payload\":".getBytes(StandardCharsets.UTF_8);

    private Envelope() {}

    /** Whether {@code record} holds, at {@code at}, the {@code length} bytes of {@code expected} from {@code from}. */
    static boolean holds(byte[] record, int at, byte[] expected, int from, int length) {
        return record.length - at >= length && Arrays.equals(record, at, at + length, expected, from, from + length);
    }
}
